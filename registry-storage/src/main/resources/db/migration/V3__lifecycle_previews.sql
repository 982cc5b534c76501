-- The last lifecycle policy preview of each repository (LifecyclePreviewStore): in the database rather than
-- in a node's memory, so that GetLifecyclePolicyPreview answers on any node and a preview of a large
-- repository costs disk, not heap. Entries are the wire's JSON of one previewResults element, numbered in
-- the order the preview lists them; `tagged` is what GetLifecyclePolicyPreview's tagStatus filter reads.
CREATE TABLE lifecycle_previews (
    repository_id BIGINT  NOT NULL PRIMARY KEY REFERENCES repositories (id) ON DELETE CASCADE,
    policy_text   TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    summary       TEXT    NOT NULL,
    entry_count   INTEGER NOT NULL
);

CREATE TABLE lifecycle_preview_entries (
    repository_id BIGINT  NOT NULL REFERENCES lifecycle_previews (repository_id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    image_digest  ${name} NOT NULL,
    tagged        INTEGER NOT NULL,
    entry         TEXT    NOT NULL,
    PRIMARY KEY (repository_id, position)
);
CREATE INDEX lifecycle_preview_entries_by_tagged ON lifecycle_preview_entries (repository_id, tagged, position);
