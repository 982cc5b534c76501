#!/usr/bin/env bash
# The memory scenario of issue 9: Lading's peak RSS and direct memory at exactly the shipped JVM flags
# (./lading jvm-flags) under (a) CLIENTS concurrent SIZE_MB MiB monolithic blob pushes over /v2 and
# (b) concurrent ECR UploadLayerPart calls (ECR_PHASES: 4 at once of 20 MiB, the documented maximum part
# size, then 8 at once of 10 MiB), plus the same push crowd against CNCF Distribution for a peer ratio.
# A fresh Lading serves only this scenario; VmHWM is reset (/proc/PID/clear_refs) before each crowd, so
# each row's VmHWM covers that crowd alone. Loopback only; the load generator (bench/MemoryBench.java)
# shares the machine's cores. See bench/README.md.
#
#   bench/memory.sh                      ~1-2 minutes, needs ~2*CLIENTS*SIZE_MB MiB of free disk
#   CLIENTS=16 SIZE_MB=8 bench/memory.sh shorter
#   MVN_ARGS=-Dmaven.repo.local=DIR      extra arguments for every mvn run (the build, the class path)
#   SKIP_BUILD=1                         use registry-http/target/lading.jar as it is
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/servers.sh
CLIENTS=${CLIENTS:-64}
SIZE_MB=${SIZE_MB:-32}
ECR_PHASES=${ECR_PHASES:-4x20,8x10}
LADING_PORT=${MEM_LADING_PORT:-5110}
DIST_PORT=${MEM_DIST_PORT:-5210}
# shellcheck disable=SC2206
MVN=(${MVN_ARGS:-})
W=$(mktemp -d /tmp/lading-membench.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$W"
}
trap cleanup EXIT

for t in docker-registry curl; do
  command -v $t >/dev/null || { echo "bench: $t is required (apt-get install docker-registry curl)"; exit 1; }
done
[ -n "${SKIP_BUILD:-}" ] || ./lading build "${MVN[@]}" >/dev/null
JAVA=$(./lading java-home)/bin/java
# the AWS SDK is a test dependency of registry-http, not in the shaded jar: use its test class path
mvn -q -B "${MVN[@]}" -pl registry-http dependency:build-classpath -Dmdep.outputFile="$W/cp.txt" \
  -Dmdep.includeScope=test >/dev/null
# the AWS SDK logs through Logback, which is on that class path too: warnings only, to standard error
cat > "$W/logback.xml" <<'XML'
<configuration>
  <appender name="E" class="ch.qos.logback.core.ConsoleAppender"><target>System.err</target>
    <encoder><pattern>  load generator: %level %logger{0} - %msg%n</pattern></encoder></appender>
  <root level="WARN"><appender-ref ref="E"/></root>
</configuration>
XML
# prints its one line of numbers last (failures go to standard error)
bench() { "$JAVA" -Xmx4g -Dlogback.configurationFile="$W/logback.xml" -cp "$(cat "$W/cp.txt")" bench/MemoryBench.java "$@" | tail -1; }

AK=AKIABENCHBENCH000002; SK=bench-secret-bench-secret-0000
lading_config "$AK" "$SK"
mib() { awk -v k="$(awk -v f="$2:" '$1==f{print $2}' /proc/$1/status)" 'BEGIN{printf "%.0f", k/1024}'; }

# exactly the flags of ./lading start, its class-data archive included, nothing that changes memory (no NMT)
lading_cds registry-http/target/lading.jar $LADING_PORT
# shellcheck disable=SC2046,SC2086
env $(./lading malloc-env) "$JAVA" $(./lading jvm-flags) $CDS -jar registry-http/target/lading.jar --config "$W/lading.yaml" \
  --server.port=$LADING_PORT --storage.root="$W/lading" > "$W/lading.log" 2>&1 &
LADING_PID=$!; PIDS+=($LADING_PID)
wait_up $LADING_PORT
IDLE_RSS=$(mib $LADING_PID VmRSS)

# each run prints: ok failed-status failed-io wall-s sampled-peak-RSS-MiB VmHWM-MiB hwm-reset
#                  peak-direct-MiB peak-netty-allocator-MiB samples missed
read -r lp_ok lp_fs lp_fi lp_wall lp_rss lp_hwm lp_reset lp_dir lp_alloc _ lp_miss < <(bench push lading \
  "http://127.0.0.1:$LADING_PORT" $LADING_PID "$AK" "$SK" "$CLIENTS" "$SIZE_MB")
read -r le_ok le_fs le_fi le_wall le_rss le_hwm le_reset le_dir le_alloc _ le_miss < <(bench ecr \
  "http://127.0.0.1:$LADING_PORT" $LADING_PID "$AK" "$SK" "$ECR_PHASES")
ALIVE=yes; kill -0 $LADING_PID 2>/dev/null || ALIVE=no
OOM=$(grep -c -E 'OutOfMemoryError|OutOfDirectMemory' "$W/lading.log" || true)
[ "$ALIVE" = yes ] || { echo "bench: Lading exited during the scenario; the end of its log:"; tail -20 "$W/lading.log"; }
kill $LADING_PID 2>/dev/null || true; wait $LADING_PID 2>/dev/null || true
rm -rf "$W/lading"

start_distribution
wait_up $DIST_PORT
read -r dp_ok dp_fs dp_fi dp_wall dp_rss dp_hwm dp_reset _ _ _ _ < <(bench push distribution \
  "http://127.0.0.1:$DIST_PORT" $DIST_PID "$AK" "$SK" "$CLIENTS" "$SIZE_MB")

echo "== memory at ./lading jvm-flags ($(./lading jvm-flags | grep -o -- '-Xmx[^ ]*\|-XX:MaxDirectMemorySize=[^ ]*' | tr '\n' ' ')): RSS and direct memory sampled every 200 ms"
printf '%-32s %5s %7s %8s %9s %8s %12s %11s\n' scenario ok failed wall peak-RSS VmHWM peak-direct netty-alloc
row() { # name ok failed-status failed-io wall rss hwm direct allocator
  local d a; d=$(awk -v d="$8" 'BEGIN{print (d<0 ? "-" : sprintf("%.1f MiB", d))}')
  a=$(awk -v d="$9" 'BEGIN{print (d<0 ? "-" : sprintf("%.1f MiB", d))}')
  printf '%-32s %5s %7s %7ss %5s MiB %4s MiB %12s %11s\n' "$1" "$2" "$(($3 + $4))" "$5" "$6" "$7" "$d" "$a"; }
row "lading push ${CLIENTS}x${SIZE_MB} MiB" "$lp_ok" "$lp_fs" "$lp_fi" "$lp_wall" "$lp_rss" "$lp_hwm" "$lp_dir" "$lp_alloc"
row "lading UploadLayerPart $ECR_PHASES" "$le_ok" "$le_fs" "$le_fi" "$le_wall" "$le_rss" "$le_hwm" "$le_dir" "$le_alloc"
row "distribution push ${CLIENTS}x${SIZE_MB} MiB" "$dp_ok" "$dp_fs" "$dp_fi" "$dp_wall" "$dp_rss" "$dp_hwm" -1 -1
echo "   (failed: non-2xx + I/O errors such as resets: lading push $lp_fs+$lp_fi, parts $le_fs+$le_fi, distribution $dp_fs+$dp_fi;"
echo "    peak-direct: the JVM's direct buffer pool plus what Netty counts outside it; netty-alloc: the part Netty's allocator holds)"
if [ "$lp_reset$le_reset$dp_reset" = 111 ]; then
  echo "   (VmHWM reset before each crowd, so each row covers that crowd alone; lading idle at start: ${IDLE_RSS} MiB)"
else
  echo "   (VmHWM could not be reset (clear_refs): it is cumulative since each process started; lading idle at start: ${IDLE_RSS} MiB)"
fi
[ "$((lp_miss + le_miss))" = 0 ] || echo "   (direct-memory samples missed: push $lp_miss, parts $le_miss)"
awk -v lw="$lp_wall" -v dw="$dp_wall" -v lr="$lp_hwm" -v dr="$dp_hwm" -v n="${CLIENTS}x${SIZE_MB} MiB push" \
  'BEGIN{printf "== lading/distribution, %s: wall %.2fx, peak RSS %.1fx\n", n, (dw>0?lw/dw:0), (dr>0?lr/dr:0)}'
PEAK=$(( lp_hwm > le_hwm ? lp_hwm : le_hwm ))
echo "== lading peak RSS over both scenarios: $PEAK MiB (target <= 160 MiB); alive after: $ALIVE; OutOfMemoryError lines in its log: $OOM"
