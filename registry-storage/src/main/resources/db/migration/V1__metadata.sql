-- Lading's metadata schema, version 1: one schema for SQLite and PostgreSQL. What differs between the
-- two engines is in placeholders filled by SqlEngine (the one place for dialect differences):
--   ${id}    an auto-generated 64-bit primary key, never reused (SQLite: AUTOINCREMENT)
--   ${bytes} a byte string
--   ${name}  text compared and ordered by code point (names, tags, digests: pages are in that order)
-- Times are microseconds since the epoch (BIGINT), except leases.expires_at (milliseconds); booleans are 0/1 (INTEGER); lists and maps that are
-- only ever read and written whole (exclusion filters, resource tags) are JSON text.

CREATE TABLE repositories (
    id                    ${id},
    account               TEXT    NOT NULL,
    name                  ${name} NOT NULL,
    created_at            BIGINT  NOT NULL,
    tag_mutability        TEXT    NOT NULL,
    mutability_exclusions TEXT,
    scan_on_push          INTEGER NOT NULL DEFAULT 0,
    encryption_type       TEXT    NOT NULL,
    kms_key               TEXT,
    repository_policy     TEXT,
    lifecycle_policy      TEXT,
    resource_tags         TEXT,
    version               BIGINT  NOT NULL DEFAULT 1,
    CONSTRAINT repositories_name UNIQUE (account, name)
);

-- Blobs known to the registry, whoever links them. A row exists while the blob's bytes may be needed;
-- the foreign keys below make it impossible to delete the row of a blob that is linked or referenced.
CREATE TABLE blobs (
    digest       ${name} NOT NULL PRIMARY KEY,
    size         BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    adopted_at   BIGINT NOT NULL,
    gc_marked_at BIGINT,
    storage_key  TEXT
);
CREATE INDEX blobs_marked ON blobs (gc_marked_at) WHERE gc_marked_at IS NOT NULL;

-- Blobs linked into a repository (pushed to it or mounted into it).
CREATE TABLE repository_blobs (
    repository_id BIGINT NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    digest        ${name} NOT NULL REFERENCES blobs (digest),
    linked_at     BIGINT NOT NULL,
    PRIMARY KEY (repository_id, digest)
);
CREATE INDEX repository_blobs_by_digest ON repository_blobs (digest);

CREATE TABLE manifests (
    repository_id  BIGINT NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    digest            ${name} NOT NULL,
    -- the blob holding the exact bytes (differs from digest for signed schema 1 only)
    content_digest    ${name} NOT NULL REFERENCES blobs (digest),
    media_type        TEXT   NOT NULL,
    artifact_type     TEXT,
    size              BIGINT NOT NULL,
    image_size        BIGINT NOT NULL DEFAULT 0,
    config_digest     TEXT,
    config_media_type TEXT,
    subject_digest    ${name},
    annotations       TEXT,
    pushed_at         BIGINT NOT NULL,
    last_pulled_at    BIGINT,
    PRIMARY KEY (repository_id, digest)
);
-- the referrers API and DescribeImages / lifecycle ordering
CREATE INDEX manifests_by_subject ON manifests (repository_id, subject_digest) WHERE subject_digest IS NOT NULL;
CREATE INDEX manifests_by_push_time ON manifests (repository_id, pushed_at);

-- The manifests an index lists (an index is deleted only when nothing lists it; a child only when no
-- index lists it).
CREATE TABLE manifest_children (
    repository_id BIGINT NOT NULL,
    parent_digest ${name} NOT NULL,
    position      INTEGER NOT NULL DEFAULT 0,
    child_digest  ${name} NOT NULL,
    PRIMARY KEY (repository_id, parent_digest, position),
    FOREIGN KEY (repository_id, parent_digest) REFERENCES manifests (repository_id, digest) ON DELETE CASCADE
);
CREATE INDEX manifest_children_by_child ON manifest_children (repository_id, child_digest);
CREATE INDEX manifests_by_content ON manifests (content_digest);

-- The blobs an image manifest references (config and layers): the GC mark's reachability.
CREATE TABLE manifest_blobs (
    repository_id   BIGINT NOT NULL,
    manifest_digest ${name} NOT NULL,
    position        INTEGER NOT NULL DEFAULT 0,
    blob_digest     ${name} NOT NULL REFERENCES blobs (digest),
    PRIMARY KEY (repository_id, manifest_digest, position),
    FOREIGN KEY (repository_id, manifest_digest) REFERENCES manifests (repository_id, digest) ON DELETE CASCADE
);
CREATE INDEX manifest_blobs_by_blob ON manifest_blobs (blob_digest);

CREATE TABLE tags (
    repository_id BIGINT NOT NULL,
    name          ${name} NOT NULL,
    digest        ${name} NOT NULL,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (repository_id, name),
    FOREIGN KEY (repository_id, digest) REFERENCES manifests (repository_id, digest) ON DELETE CASCADE
);
CREATE INDEX tags_by_digest ON tags (repository_id, digest);

-- Registry-level settings of one account (registry policy, scanning and replication configuration).
CREATE TABLE account_settings (
    account                   TEXT   NOT NULL PRIMARY KEY,
    registry_policy           TEXT,
    scanning_configuration    TEXT,
    replication_configuration TEXT,
    version                   BIGINT NOT NULL DEFAULT 1
);

-- Open blob uploads, any node may continue one: its size and its resumable SHA-256 state.
CREATE TABLE upload_sessions (
    id            TEXT   NOT NULL PRIMARY KEY,
    repository_id BIGINT NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    principal_arn TEXT   NOT NULL,
    started_at    BIGINT NOT NULL,
    size          BIGINT NOT NULL DEFAULT 0,
    hash_state    ${bytes},
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX upload_sessions_by_principal ON upload_sessions (principal_arn);
CREATE INDEX upload_sessions_by_start ON upload_sessions (started_at);

-- The parts of an ECR layer upload (UploadLayerPart): an exact retry of the last part is recognised.
CREATE TABLE layer_parts (
    upload_id  TEXT    NOT NULL REFERENCES upload_sessions (id) ON DELETE CASCADE,
    first_byte BIGINT  NOT NULL,
    last_byte  BIGINT  NOT NULL,
    sha256     ${bytes} NOT NULL,
    PRIMARY KEY (upload_id, first_byte)
);

-- Leader leases (GC, the expirer) with a fencing token that grows with every change of holder.
CREATE TABLE leases (
    name       TEXT   NOT NULL PRIMARY KEY,
    holder     TEXT   NOT NULL,
    token      BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- Secrets every node shares (the registry password signing keys); readable by the registry's role only.
CREATE TABLE secrets (
    name    TEXT    NOT NULL PRIMARY KEY,
    value   ${bytes} NOT NULL,
    version BIGINT  NOT NULL DEFAULT 1
);
