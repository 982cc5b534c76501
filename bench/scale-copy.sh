#!/usr/bin/env bash
# A PostgreSQL registry root copied from a SQLite one that bench/scale.sh generated: the same images,
# blobs and tags, without a second generation pass through the write path (about 110 images/s on
# PostgreSQL here, so 2.5 hours for 1,000,000 images; the copy takes minutes). The blob files are hard
# links to the SQLite root's (the two roots share them: never run GC with deletes on either); the
# schema is made by Lading's own migrations (one start against the new database), then every metadata
# table is copied row by row with COPY, foreign keys checked at the end.
#
#   bench/scale-copy.sh                           /var/tmp/lading-scale/sqlite-1000000 -> postgresql-1000000
#   FROM=DIR TO=DIR JAR=lading.jar PG_PORT=5433   other roots, another jar, another port
# Then: ENGINE=postgresql GENERATE=0 IMAGES=1000000 bench/scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE_DIR=${SCALE_DIR:-/var/tmp/lading-scale}
FROM=${FROM:-$SCALE_DIR/sqlite-1000000}
TO=${TO:-$SCALE_DIR/postgresql-1000000}
JAR=${JAR:-registry-http/target/lading.jar}
PG_PORT=${PG_PORT:-5433}
PORT=${SCALE_PORT:-5310}
# the tables a registry's content is in (secrets, leases, previews and uploads are each node's own business)
TABLES=(repositories blobs repository_blobs manifests manifest_children manifest_blobs tags account_settings)
[ -f "$FROM/metadata.db" ] || { echo "scale-copy: $FROM/metadata.db does not exist"; exit 1; }
[ ! -e "$TO/pgdata" ] || { echo "scale-copy: $TO/pgdata exists; remove $TO first"; exit 1; }
for t in sqlite3 psql; do command -v $t >/dev/null || { echo "scale-copy: $t is required"; exit 1; }; done
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
LADING_PID=""
cleanup() {
  [ -z "$LADING_PID" ] || kill "$LADING_PID" 2>/dev/null || true
  run_pg "$PG_BIN/pg_ctl" -D "$TO/pgdata" -m fast stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "== linking the blobs of $FROM into $TO"
mkdir -p "$TO"
cp -al "$FROM/blobs" "$TO/blobs"
mkdir -p "$TO/pgdata"; [ "$(id -u)" != 0 ] || chown postgres "$TO/pgdata" "$TO"
run_pg "$PG_BIN/initdb" -D "$TO/pgdata" -A trust -U lading >/dev/null
run_pg "$PG_BIN/pg_ctl" -D "$TO/pgdata" -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1" -l "$TO/pg.log" -w start >/dev/null
run_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U lading lading
PSQL=(psql -h 127.0.0.1 -p "$PG_PORT" -U lading -d lading -v ON_ERROR_STOP=1 -q)

echo "== the schema, by one start of Lading against the new database"
JAVA_BIN=$(./lading java-home)/bin
"$JAVA_BIN/java" -Xmx256m -jar "$JAR" --storage.root="$TO" --server.port="$PORT" \
  --storage.metadataUrl="jdbc:postgresql://127.0.0.1:$PG_PORT/lading" --storage.metadataUser=lading > "$TO/copy-start.log" 2>&1 &
LADING_PID=$!
for _ in $(seq 1 600); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/v2/" && break
  kill -0 $LADING_PID 2>/dev/null || { echo "scale-copy: Lading exited:"; tail -20 "$TO/copy-start.log"; exit 1; }
  sleep 0.1
done
kill $LADING_PID; wait $LADING_PID 2>/dev/null || true; LADING_PID=""

for t in "${TABLES[@]}"; do
  cols=$(sqlite3 "file:$FROM/metadata.db?mode=ro" "SELECT group_concat(name, ',') FROM pragma_table_info('$t')")
  t0=$(date +%s)
  # NULL is written as an unquoted empty field, which COPY ... CSV reads as NULL; empty text is quoted
  sqlite3 -csv -nullvalue '' "file:$FROM/metadata.db?mode=ro" "SELECT $cols FROM $t" |
    "${PSQL[@]}" -c "SET session_replication_role = replica" -c "\\copy $t ($cols) FROM STDIN WITH (FORMAT csv)"
  echo "   $t: $("${PSQL[@]}" -At -c "SELECT COUNT(*) FROM $t") rows in $(( $(date +%s) - t0 )) s"
done
"${PSQL[@]}" -c "SELECT setval(pg_get_serial_sequence('repositories', 'id'), (SELECT MAX(id) FROM repositories))" >/dev/null

echo "== checking the foreign keys the copy skipped"
"${PSQL[@]}" -At <<'SQL'
SELECT 'repository_blobs without a blob: ' || COUNT(*) FROM repository_blobs rb LEFT JOIN blobs b ON b.digest = rb.digest WHERE b.digest IS NULL;
SELECT 'manifest_blobs without a blob: ' || COUNT(*) FROM manifest_blobs mb LEFT JOIN blobs b ON b.digest = mb.blob_digest WHERE b.digest IS NULL;
SELECT 'tags without a manifest: ' || COUNT(*) FROM tags t LEFT JOIN manifests m ON m.repository_id = t.repository_id AND m.digest = t.digest WHERE m.digest IS NULL;
SELECT 'manifests without a repository: ' || COUNT(*) FROM manifests m LEFT JOIN repositories r ON r.id = m.repository_id WHERE r.id IS NULL;
SQL
"${PSQL[@]}" -c "VACUUM ANALYZE"
echo "== $TO is ready: ENGINE=postgresql GENERATE=0 IMAGES=1000000 bench/scale.sh"
