#!/usr/bin/env bash
# The metadata-at-scale figures of issue 10 (bench/README.md, "Metadata at scale"): a registry of IMAGES
# images in REPOS repositories (one of BIG images, one of MID), built through Lading's own write path by
# bench/ScaleGenerator.java, then served by Lading at exactly the shipped JVM flags (./lading jvm-flags and
# malloc-env), measuring:
#   (a) start-up: launch to the first successful /v2/ request; heap (jstat) and RSS after start-up and at the end
#   (b) DescribeImages and ListImages, first page (maxResults 100) of scale/big: p50/p99 over RUNS requests
#   (c) a full paginated DescribeImages of scale/mid (pages of 1000, the API's maximum)
#   (d) a GC dry run (POST /_lading/gc?dryRun=true) over every blob, timed, while a push loop (monolithic
#       blob POST + manifest PUT, one at a time) records its longest single request
# ECR calls are signed with SigV4 by curl (--aws-sigv4); each latency is curl's own time_total, which does
# not include starting curl. Loopback only; the generator and the clients share the machine's cores.
#
#   bench/scale.sh                                  generate (or reuse) and measure, SQLite
#   IMAGES=100000 REPOS=10000 BIG=20000 MID=10000 bench/scale.sh    smaller
#   ENGINE=postgresql bench/scale.sh                a temporary PostgreSQL cluster (Debian's binaries)
#   SCALE_DIR=/var/tmp/lading-scale                 where generated registries are kept between runs
#   SCALE_ROOT=DIR                                  the registry root itself (default SCALE_DIR/ENGINE-IMAGES)
#   GENERATE=0                                      measure the root as it is (no generation pass)
#   NOFSYNC=0                                       generate with real fsyncs (default: skipped, then one sync)
#   THREADS=6 RUNS=50 SKIP_BUILD=1 MVN_ARGS=-Dmaven.repo.local=DIR JAR=a-copy-of-lading.jar
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGES=${IMAGES:-1000000}
REPOS=${REPOS:-100000}
BIG=${BIG:-100000}
MID=${MID:-10000}
THREADS=${THREADS:-6}
RUNS=${RUNS:-50}
ENGINE=${ENGINE:-sqlite}
PORT=${SCALE_PORT:-5310}
SCALE_DIR=${SCALE_DIR:-/var/tmp/lading-scale}
ROOT=${SCALE_ROOT:-$SCALE_DIR/$ENGINE-$IMAGES}
# shellcheck disable=SC2206
MVN=(${MVN_ARGS:-})
W=$(mktemp -d /tmp/lading-scale.XXXXXX)
. bench/servers.sh
PIDS=()
PG_BIN=""
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ -n "$PG_BIN" ]; then run_pg "$PG_BIN/pg_ctl" -D "$ROOT/pgdata" -m fast stop >/dev/null 2>&1 || true; fi
  rm -rf "$W"
}
trap cleanup EXIT
for t in curl jq jstat; do
  command -v $t >/dev/null || [ -x "$(./lading java-home)/bin/$t" ] || { echo "scale: $t is required"; exit 1; }
done
[ -n "${SKIP_BUILD:-}" ] || ./lading build "${MVN[@]}" >/dev/null
JAVA_BIN=$(./lading java-home)/bin
JAR=${JAR:-registry-http/target/lading.jar}  # JAR=copy.jar: a copy, so rebuilding during a long run does not pull the jar from under it
AK=AKIASCALESCALE000003; SK=scale-secret-scale-secret-000
BASIC="Basic $(printf '%s:%s' "$AK" "$SK" | base64 -w0)"
mkdir -p "$ROOT"
cat > "$W/lading.yaml" <<YAML
auth:
  users:
    - {name: bench, accessKeyId: $AK, secretAccessKey: $SK, policies: [AmazonEC2ContainerRegistryFullAccess]}
registry:
  createOnPush: true
YAML
ARGS=(--config "$W/lading.yaml" --storage.root="$ROOT")

# PostgreSQL: a cluster of its own under the root (kept with it), on a free port, run as user postgres when root
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$ENGINE" = postgresql ]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_PORT=${PG_PORT:-5433}
  if [ ! -d "$ROOT/pgdata" ]; then
    mkdir -p "$ROOT/pgdata"; [ "$(id -u)" != 0 ] || chown postgres "$ROOT/pgdata" "$ROOT"
    run_pg "$PG_BIN/initdb" -D "$ROOT/pgdata" -A trust -U lading >/dev/null
  fi
  run_pg "$PG_BIN/pg_ctl" -D "$ROOT/pgdata" -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1" -l "$ROOT/pg.log" -w start >/dev/null
  createdb_out=$(run_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U lading lading 2>&1 || true)
  case "$createdb_out" in ""|*"already exists"*) ;; *) echo "scale: createdb: $createdb_out"; exit 1;; esac
  ARGS+=(--storage.metadataUrl="jdbc:postgresql://127.0.0.1:$PG_PORT/lading" --storage.metadataUser=lading)
elif [ "$ENGINE" != sqlite ]; then
  echo "scale: ENGINE is sqlite or postgresql"; exit 2
fi

if [ "${GENERATE:-1}" != 0 ]; then
  PRELOAD=""
  if [ "${NOFSYNC:-1}" != 0 ] && command -v gcc >/dev/null; then
    gcc -shared -fPIC -O2 -o "$W/nofsync.so" bench/nofsync.c && PRELOAD=$W/nofsync.so
  fi
  echo "== generating $IMAGES images in $REPOS repositories into $ROOT (resumes; fsync ${PRELOAD:+skipped, one sync at the end})"
  LD_PRELOAD=$PRELOAD nice "$JAVA_BIN/java" -Xmx1g -cp "$JAR" bench/ScaleGenerator.java \
    "$IMAGES" "$REPOS" "$BIG" "$MID" "$THREADS" "${ARGS[@]}" 2>&1 | grep -E '^(generating|  |generated)' | tee "$W/gen.log"
  sync
fi

# what the root holds (a generation cut short holds less than asked for)
COUNT_SQL="SELECT (SELECT COUNT(*) FROM manifests), (SELECT COUNT(*) FROM repositories),
  (SELECT COUNT(*) FROM manifests m JOIN repositories r ON r.id = m.repository_id WHERE r.name = 'scale/big'),
  (SELECT COUNT(*) FROM manifests m JOIN repositories r ON r.id = m.repository_id WHERE r.name = 'scale/mid')"
STORED="?"
if [ "$ENGINE" = sqlite ] && command -v sqlite3 >/dev/null; then
  STORED=$(sqlite3 -separator ' ' "file:$ROOT/metadata.db?mode=ro" "$COUNT_SQL")
elif [ "$ENGINE" = postgresql ] && command -v psql >/dev/null; then
  STORED=$(psql -h 127.0.0.1 -p "$PG_PORT" -U lading -d lading -At -F ' ' -c "$COUNT_SQL")
fi
read -r N_IMAGES N_REPOS N_BIG N_MID _ <<< "$STORED ? ? ? ?"

mib() { awk -v k="$(awk -v f="$2:" '$1==f{print $2}' /proc/$1/status)" 'BEGIN{printf "%.0f", k/1024}'; }
heap() { "$JAVA_BIN/jstat" -gc "$1" | awk 'NR==2{printf "%.1f", ($3+$4+$6+$8)/1024}'; }

# (a) start-up at exactly the shipped flags, the class-data archive of ./lading start included (written first
# if it is missing or older than the jar, bench/servers.sh lading_cds); the measured start uses it
lading_cds "$JAR" "$PORT"
start_lading() { # start_lading LOG
  # shellcheck disable=SC2046,SC2086
  env $(./lading malloc-env) "$JAVA_BIN/java" $(./lading jvm-flags) $CDS -jar "$JAR" "${ARGS[@]}" --server.port=$PORT > "$1" 2>&1 &
}
t0=$(date +%s%N)
start_lading "$W/lading.log"
LADING_PID=$!; PIDS+=($LADING_PID)
up=""
for _ in $(seq 1 3000); do
  if curl -sf -o /dev/null -H "Authorization: $BASIC" "http://127.0.0.1:$PORT/v2/"; then up=yes; break; fi
  kill -0 $LADING_PID 2>/dev/null || break
  sleep 0.01
done
t1=$(date +%s%N)
[ -n "$up" ] || { echo "scale: Lading did not come up; the end of its log:"; tail -20 "$W/lading.log"; exit 1; }
START_MS=$(( (t1 - t0) / 1000000 ))
START_HEAP=$(heap $LADING_PID); START_RSS=$(mib $LADING_PID VmRSS)

ecr() { # ecr TARGET JSON: one signed ECR call; prints time_total, the body to $W/body
  curl -s -o "$W/body" -w '%{http_code} %{time_total}\n' --aws-sigv4 "aws:amz:us-east-1:ecr" -u "$AK:$SK" \
    -H "X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.$1" -H 'Content-Type: application/x-amz-json-1.1' \
    -d "$2" "http://127.0.0.1:$PORT/"; }
pct() { sort -n | awk -v p="$1" '{a[NR]=$1} END{i=int(NR*p/100+0.999); if(i<1)i=1; printf "%.1f", a[i]*1000}'; }
first_page() { # first_page TARGET: RUNS calls (after 3 warm-ups) of the first page of scale/big
  local out=$W/$1.times code t
  : > "$out"
  for i in $(seq 1 $((RUNS + 3))); do
    read -r code t < <(ecr "$1" '{"repositoryName":"scale/big","maxResults":100}')
    [ "$code" = 200 ] || { echo "scale: $1 answered $code: $(head -c 300 "$W/body")"; exit 1; }
    [ "$i" -le 3 ] || echo "$t" >> "$out"
  done
  echo "$(pct 50 < "$out") $(pct 99 < "$out") $(jq '(.imageDetails // .imageIds) | length' "$W/body")"
}
# (b)
read -r DI_P50 DI_P99 DI_N < <(first_page DescribeImages)
read -r LI_P50 LI_P99 LI_N < <(first_page ListImages)

# (c) every page of scale/mid
token=""; pages=0; described=0; full=0
while :; do
  req='{"repositoryName":"scale/mid","maxResults":1000'${token:+',"nextToken":"'$token'"'}'}'
  read -r code t < <(ecr DescribeImages "$req")
  [ "$code" = 200 ] || { echo "scale: DescribeImages answered $code: $(head -c 300 "$W/body")"; exit 1; }
  pages=$((pages + 1)); described=$((described + $(jq '.imageDetails | length' "$W/body")))
  full=$(awk -v a="$full" -v b="$t" 'BEGIN{print a+b}')
  token=$(jq -r '.nextToken // empty' "$W/body")
  [ -n "$token" ] || break
done

# (d) a GC dry run, with a push loop beside it
push_loop() { # pushes distinct small images into scale/push until $W/gc.done exists; one latency per line
  local i=0 blob digest size manifest
  while [ ! -f "$W/gc.done" ]; do
    i=$((i + 1))
    blob="{\"architecture\":\"amd64\",\"os\":\"linux\",\"push\":\"$$-$i-$(date +%s%N)\"}"
    digest=sha256:$(printf '%s' "$blob" | sha256sum | cut -d' ' -f1); size=${#blob}
    curl -s -o /dev/null -w '%{http_code} %{time_total} blob\n' -H "Authorization: $BASIC" -X POST --data-binary "$blob" \
      -H 'Content-Type: application/octet-stream' "http://127.0.0.1:$PORT/v2/scale/push/blobs/uploads/?digest=$digest"
    manifest="{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":$size,\"digest\":\"$digest\"},\"layers\":[]}"
    curl -s -o /dev/null -w '%{http_code} %{time_total} manifest\n' -H "Authorization: $BASIC" -X PUT --data-binary "$manifest" \
      -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' "http://127.0.0.1:$PORT/v2/scale/push/manifests/p$i"
  done > "$W/push.times"
}
push_loop & PUSH_PID=$!; PIDS+=($PUSH_PID)
sleep 1
g0=$(date +%s%N)
GC=$(curl -s -H "Authorization: $BASIC" -X POST "http://127.0.0.1:$PORT/_lading/gc?dryRun=true")
g1=$(date +%s%N)
touch "$W/gc.done"; wait $PUSH_PID || true
GC_S=$(awk -v d=$((g1 - g0)) 'BEGIN{printf "%.1f", d/1e9}')
PUSHES=$(awk '$3=="manifest"' "$W/push.times" | wc -l)
PUSH_FAIL=$(awk '$1 !~ /^20[01]$/' "$W/push.times" | wc -l)
PUSH_MAX=$(awk '{if($2>m)m=$2} END{printf "%.1f", m*1000}' "$W/push.times")
PUSH_P99=$(awk '{print $2}' "$W/push.times" | pct 99)

END_HEAP=$(heap $LADING_PID); END_RSS=$(mib $LADING_PID VmRSS); HWM=$(mib $LADING_PID VmHWM)
"$JAVA_BIN/jcmd" $LADING_PID GC.run >/dev/null 2>&1 || true
LIVE_HEAP=$(heap $LADING_PID)
OOM=$(grep -c OutOfMemoryError "$W/lading.log" || true)

echo "== metadata at scale: $ENGINE, $N_IMAGES images in $N_REPOS repositories (scale/big $N_BIG, scale/mid $N_MID), $ROOT"
echo "   (asked for $IMAGES images in $REPOS repositories, scale/big $BIG, scale/mid $MID)"
echo "   ($(grep -c ^processor /proc/cpuinfo) cores, $(./lading jvm-flags | grep -o -- '-Xmx[^ ]*'), other work on the machine counts)"
[ ! -s "$W/gen.log" ] || echo "generation: $(tail -1 "$W/gen.log")"
printf '%-52s %-28s %s\n' figure measured target
printf '%-52s %-28s %s\n' "start-up to first /v2/ answer${CDS:+ (class-data archive)}" "$START_MS ms" "< 3000 ms"
printf '%-52s %-28s %s\n' "heap used / RSS after start-up" "$START_HEAP MiB / $START_RSS MiB" "heap <= 96 MiB, RSS <= 160 MiB"
printf '%-52s %-28s %s\n' "DescribeImages first page ($DI_N of scale/big) p50/p99" "$DI_P50 / $DI_P99 ms" "< 20 ms"
printf '%-52s %-28s %s\n' "ListImages first page ($LI_N of scale/big) p50/p99" "$LI_P50 / $LI_P99 ms" "< 20 ms"
printf '%-52s %-28s %s\n' "full DescribeImages of scale/mid ($described, $pages pages)" "$(awk -v f="$full" 'BEGIN{printf "%.0f", f*1000}') ms" "< 1000 ms"
printf '%-52s %-28s %s\n' "GC dry run over every blob" "$GC_S s" "< 60 s"
printf '%-52s %-28s %s\n' "longest push request during GC ($PUSHES images, $PUSH_FAIL failed)" "$PUSH_MAX ms (p99 $PUSH_P99 ms)" "< 100 ms"
printf '%-52s %-28s %s\n' "heap used / RSS / VmHWM at the end" "$END_HEAP MiB / $END_RSS MiB / $HWM MiB" "RSS <= 160 MiB"
printf '%-52s %-28s %s\n' "heap live after a full GC at the end" "$LIVE_HEAP MiB" "<= 96 MiB"
echo "GC report: $GC"
echo "OutOfMemoryError lines in Lading's log: $OOM"
