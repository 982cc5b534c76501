# Sourced by bench/run.sh, bench/memory.sh and bench/scale.sh: how the bench starts its peer servers and Lading's
# class-data archive.

# start_distribution: CNCF Distribution on 127.0.0.1:$DIST_PORT with its data in $W/dist (no auth, its
# in-memory blob-descriptor cache on); sets DIST_PID and adds it to PIDS.
start_distribution() {
  mkdir -p "$W/dist"
  cat > "$W/dist.yml" <<YAML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $W/dist}, delete: {enabled: true}, cache: {blobdescriptor: inmemory}}
http: {addr: 127.0.0.1:$DIST_PORT, secret: bench}
YAML
  docker-registry serve "$W/dist.yml" > "$W/dist.log" 2>&1 &
  DIST_PID=$!; PIDS+=($DIST_PID)
}

# lading_config AK SK: $W/lading.yaml with one user (that access key, full access) and repositories
# created on push, as Distribution allows; sets BASIC, the HTTP Basic header value of that key.
lading_config() {
  cat > "$W/lading.yaml" <<YAML
auth:
  users:
    - {name: bench, accessKeyId: $1, secretAccessKey: $2, policies: [AmazonEC2ContainerRegistryFullAccess]}
registry:
  createOnPush: true
YAML
  BASIC="Basic $(printf '%s:%s' "$1" "$2" | base64 -w0)"
}

# wait_up PORT: waits up to 30 s until /v2/ answers 2xx on that port (with $BASIC), else exits
wait_up() { for _ in $(seq 1 300); do curl -sf -H "Authorization: $BASIC" "http://127.0.0.1:$1/v2/" >/dev/null && return 0; sleep 0.1; done; echo "bench: port $1 did not come up"; exit 1; }

# lading_cds JAR PORT: sets CDS to the class-data archive flags of ./lading start for JAR, with the archive
# next to JAR (one is valid only for the jar it was made from, by path and time stamp). One older than JAR is
# removed (the JVM would run without it and never re-write it); a missing one is written as ./lading start's
# first start writes it: one start on a scratch root, stopped once it answers on PORT (the JVM writes the
# archive at exit). LADING_CDS_FLAGS= (empty) leaves CDS empty.
lading_cds() {
  local jar=$1 port=$2 jsa pid
  CDS=$(./lading cds-flags)
  jsa=$(printf '%s\n' "$CDS" | grep -o -- '-XX:SharedArchiveFile=[^ ]*' | cut -d= -f2 || true)
  [ -n "$jsa" ] || return 0
  CDS=${CDS/$jsa/${jar%.jar}.jsa}; jsa=${jar%.jar}.jsa
  [ ! -f "$jsa" ] || [ ! "$jar" -nt "$jsa" ] || rm -f "$jsa"
  [ ! -f "$jsa" ] || return 0
  # shellcheck disable=SC2046,SC2086
  env $(./lading malloc-env) "$(./lading java-home)/bin/java" $(./lading jvm-flags) $CDS -jar "$jar" \
    --storage.root="$W/cds-prime" --server.port="$port" > "$W/cds-prime.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/")" = 000 ] || break
    kill -0 $pid 2>/dev/null || break
    sleep 0.1
  done
  kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
  rm -rf "$W/cds-prime"
  [ -f "$jsa" ] || echo "bench: no class-data archive was written ($W/cds-prime.log)" >&2
}

# metadata_engine: for ENGINE=postgresql (default sqlite), a temporary PostgreSQL cluster in $W/pgdata on
# $PG_PORT (default 5433; Debian's binaries, run as user postgres when root) with a database `lading`;
# sets METADATA_ARGS (the Lading arguments that select it: empty for SQLite) and PG_BIN (for stop_metadata)
metadata_engine() {
  METADATA_ARGS=(); PG_BIN=""
  case "${ENGINE:-sqlite}" in
    sqlite) return 0 ;;
    postgresql) ;;
    *) echo "bench: ENGINE is sqlite or postgresql"; exit 2 ;;
  esac
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$PG_BIN" ] || { echo "bench: ENGINE=postgresql needs PostgreSQL (apt-get install postgresql)"; exit 1; }
  local port=${PG_PORT:-5433}
  mkdir -p "$W/pgdata"; [ "$(id -u)" != 0 ] || chown postgres "$W/pgdata"
  chmod 755 "$W"
  as_pg "$PG_BIN/initdb" -D "$W/pgdata" -A trust -U lading >/dev/null
  as_pg "$PG_BIN/pg_ctl" -D "$W/pgdata" -o "-p $port -k /tmp -c listen_addresses=127.0.0.1" -l "$W/pgdata/log" -w start >/dev/null
  as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U lading lading
  METADATA_ARGS=(--storage.metadataUrl="jdbc:postgresql://127.0.0.1:$port/lading" --storage.metadataUser=lading)
}
# stop_metadata: stops what metadata_engine started (for the cleanup trap)
stop_metadata() { [ -z "${PG_BIN:-}" ] || as_pg "$PG_BIN/pg_ctl" -D "$W/pgdata" -m fast stop >/dev/null 2>&1 || true; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
