#!/usr/bin/env bash
# Measures Lading against the peer users would otherwise run (CNCF Distribution, Debian's
# docker-registry) and the machine's ceiling (nginx serving the same bytes as static files), in one
# run on this machine. Loopback only; every load loop is bounded in time. See bench/README.md.
#
#   bench/run.sh            full run (~3 minutes, needs ~4 GiB of free disk)
#   DURATION=5 SIZE_MB=256 bench/run.sh   shorter
#   ENGINE=postgresql bench/run.sh        Lading's metadata in a temporary PostgreSQL cluster (default: SQLite)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/servers.sh
ROOT=$PWD
DURATION=${DURATION:-10}
CONNS=${CONNS:-32}
SIZE_MB=${SIZE_MB:-1024}
W=$(mktemp -d /tmp/lading-bench.XXXXXX)
LADING_PORT=${LADING_PORT:-5100}
DIST_PORT=${DIST_PORT:-5200}
NGINX_PORT=${NGINX_PORT:-5300}
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "${NGINX_PID:-}" ] && kill "$NGINX_PID" 2>/dev/null || true
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  stop_metadata
  rm -rf "$W"
}
trap cleanup EXIT

for t in wrk ab skopeo docker-registry nginx curl jq; do
  command -v $t >/dev/null || { echo "bench: $t is required (apt-get install wrk apache2-utils skopeo docker-registry nginx curl jq)"; exit 1; }
done

# shellcheck disable=SC2086
[ -n "${SKIP_BUILD:-}" ] || ./lading build ${MVN_ARGS:-} >/dev/null
JAVA=$(./lading java-home)/bin/java

# --- servers ---------------------------------------------------------------------------------------
AK=AKIABENCHBENCH000001; SK=bench-secret-bench-secret-0000
lading_config "$AK" "$SK"
metadata_engine
# the same JVM flags as ./lading start, its class-data archive included; /v2 authentication on (static key, Basic auth). The per-caller
# rate limit is off: the load generator is one caller sending far more than server.requestsPerSecond
lading_cds registry-http/target/lading.jar $LADING_PORT
# shellcheck disable=SC2046,SC2086
LADING_ACCESS_LOG_LEVEL=${LADING_ACCESS_LOG_LEVEL:-INFO} env $(./lading malloc-env) "$JAVA" $(./lading jvm-flags) $CDS \
  -jar registry-http/target/lading.jar --config "$W/lading.yaml" --server.port=$LADING_PORT \
  --server.requestsPerSecond=0 --storage.root="$W/lading" "${METADATA_ARGS[@]}" > "$W/lading.log" 2>&1 &
LADING_PID=$!; PIDS+=($LADING_PID)
start_distribution
mkdir -p "$W/www/v2" "$W/nginx"
chmod 755 "$W"  # nginx workers run as an unprivileged user
cat > "$W/nginx.conf" <<NGINX
worker_processes 2;
pid $W/nginx/nginx.pid;
error_log $W/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on; keepalive_requests 1000000;
  client_body_temp_path $W/nginx; proxy_temp_path $W/nginx; fastcgi_temp_path $W/nginx;
  uwsgi_temp_path $W/nginx; scgi_temp_path $W/nginx;
  server { listen 127.0.0.1:$NGINX_PORT; root $W/www; }
}
NGINX
nginx -c "$W/nginx.conf" -p "$W/nginx"
NGINX_PID=$(cat "$W/nginx/nginx.pid")

wait_up $LADING_PORT; wait_up $DIST_PORT

# --- content ---------------------------------------------------------------------------------------
SCRATCH="$W/harness" bash tools/make-images.sh -o "$W/images" tiny >/dev/null
for p in $LADING_PORT $DIST_PORT; do
  C=(--src-creds "$AK:$SK" --dest-creds "$AK:$SK")
  skopeo copy -q --dest-tls-verify=false --dest-creds "$AK:$SK" oci:"$W/images/tiny:latest" docker://127.0.0.1:$p/bench/tiny:latest
  for i in $(seq 1 50); do
    skopeo copy -q "${C[@]}" --src-tls-verify=false --dest-tls-verify=false docker://127.0.0.1:$p/bench/tiny:latest docker://127.0.0.1:$p/bench/tiny:t$i
  done
done
MT=application/vnd.oci.image.manifest.v1+json
curl -s -H "Authorization: $BASIC" -H "Accept: $MT" "http://127.0.0.1:$LADING_PORT/v2/bench/tiny/manifests/latest" > "$W/www/manifest.json"
LAYER=$(jq -r '.layers[0].digest' "$W/www/manifest.json")
curl -s -H "Authorization: $BASIC" "http://127.0.0.1:$LADING_PORT/v2/bench/tiny/tags/list" > "$W/www/tags.json"
chmod -R a+rX "$W/www"

# CPU ticks of a server: the process and its children (nginx workers)
cpu_ticks() { local t=0 p; for p in $1 $(ps -o pid= --ppid $1); do t=$((t + $(awk '{print $14+$15}' /proc/$p/stat))); done; echo $t; }
TCK=$(getconf CLK_TCK)
# run_wrk NAME PID URL [METHOD] -> prints "rps cpu_us_per_request non2xx"
# (wrk cannot read HEAD responses that carry a Content-Length, so HEAD goes through ab)
run_wrk() {
  local pid=$2 url=$3 method=${4:-GET} before after out rps reqs
  if [ "$method" = HEAD ]; then
    before=$(cpu_ticks "$pid")
    out=$(ab -q -i -k -c $CONNS -t $DURATION -n 100000000 -H "Accept: $MT" -H "Authorization: $BASIC" "$url" 2>&1)
    after=$(cpu_ticks "$pid")
    rps=$(echo "$out" | awk '/Requests per second/{print $4}')
    reqs=$(echo "$out" | awk '/Complete requests/{print $3}')
    errs=$(echo "$out" | awk '/Non-2xx/{print $3}')
    echo "$rps $(( (after - before) * 1000000 / TCK / (reqs > 0 ? reqs : 1) )) ${errs:-0}"
    return
  fi
  printf 'wrk.method = "%s"\nwrk.headers["Accept"] = "%s"\nwrk.headers["Authorization"] = "%s"\n' "$method" "$MT" "$BASIC" > "$W/wrk.lua"
  before=$(cpu_ticks "$pid")
  out=$(wrk -t2 -c$CONNS -d${DURATION}s -s "$W/wrk.lua" "$url")
  after=$(cpu_ticks "$pid")
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  reqs=$(echo "$out" | awk '/requests in/{print $1}')
  errs=$(echo "$out" | awk '/Non-2xx/{print $4}')
  echo "$rps $(( (after - before) * 1000000 / TCK / (reqs > 0 ? reqs : 1) )) ${errs:-0}"
}

# warm-up (JIT), not measured
printf 'wrk.headers["Accept"] = "%s"\nwrk.headers["Authorization"] = "%s"\n' "$MT" "$BASIC" > "$W/warm.lua"
for path in /v2/bench/tiny/manifests/latest /v2/bench/tiny/tags/list; do
  wrk -t2 -c$CONNS -d5s -s "$W/warm.lua" "http://127.0.0.1:$LADING_PORT$path" >/dev/null
done
ab -q -i -k -c $CONNS -t 3 -n 100000000 -H "Authorization: $BASIC" "http://127.0.0.1:$LADING_PORT/v2/bench/tiny/blobs/$LAYER" >/dev/null 2>&1 || true

declare -A R
echo "== small requests: wrk -t2 -c$CONNS -d${DURATION}s (requests/s, server CPU us per request), Lading metadata on ${ENGINE:-sqlite}"
printf '%-16s %22s %22s %22s %10s\n' test lading distribution nginx lading/dist
for test in manifest-get blob-head tags-list; do
  case $test in
    manifest-get) path=/v2/bench/tiny/manifests/latest; m=GET; static=/manifest.json ;;
    blob-head)    path=/v2/bench/tiny/blobs/$LAYER; m=HEAD; static=/manifest.json ;;
    tags-list)    path=/v2/bench/tiny/tags/list; m=GET; static=/tags.json ;;
  esac
  read -r lr lc le < <(run_wrk lading $LADING_PID "http://127.0.0.1:$LADING_PORT$path" $m)
  read -r dr dc de < <(run_wrk dist $DIST_PID "http://127.0.0.1:$DIST_PORT$path" $m)
  read -r nr nc ne < <(run_wrk nginx $NGINX_PID "http://127.0.0.1:$NGINX_PORT$static" $m)
  ratio=$(awk -v a="$lr" -v b="$dr" 'BEGIN{printf "%.1fx", (b>0?a/b:0)}')
  printf '%-16s %12s/s %5sus %12s/s %5sus %12s/s %5sus %10s\n' $test "$lr" "$lc" "$dr" "$dc" "$nr" "$nc" "$ratio"
  [ "$le" = 0 ] && [ "$de" = 0 ] && [ "$ne" = 0 ] || echo "   (non-2xx responses: lading $le, distribution $de, nginx $ne)"
done

# --- large blob push and pull ----------------------------------------------------------------------
echo "== ${SIZE_MB} MiB blob: one monolithic push (POST ?digest=), one pull"
head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom > "$W/big"
BIG="sha256:$(sha256sum "$W/big" | cut -d' ' -f1)"
cp "$W/big" "$W/www/big"
chmod -R a+rX "$W/www"
push() { curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -X POST -H "Authorization: $BASIC" -H 'Content-Type: application/octet-stream' \
  -T "$W/big" "http://127.0.0.1:$1/v2/bench/big/blobs/uploads?digest=$BIG"; }  # no trailing '/': curl -T would append the file name
push_dist() { # distribution has no monolithic POST: POST then PUT
  local loc; loc=$(curl -s -D - -o /dev/null -X POST "http://127.0.0.1:$1/v2/bench/big/blobs/uploads/" | awk -F': ' 'tolower($1)=="location"{print $2}' | tr -d '\r')
  case $loc in http*) ;; *) loc="http://127.0.0.1:$1$loc";; esac
  local sep='?'; case $loc in *\?*) sep='&';; esac
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -X PUT -H 'Content-Type: application/octet-stream' -T "$W/big" "$loc${sep}digest=$BIG"; }
pull() { curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: $BASIC" "$1"; }
mbps() { awk -v s="$2" -v mb="$SIZE_MB" 'BEGIN{printf "%.0f MB/s", mb*1.048576/s}' ; }
read -r c1 t1 < <(push $LADING_PORT); read -r c2 t2 < <(push_dist $DIST_PORT)
echo "push  lading: $c1 ${t1}s ($(mbps x $t1))   distribution: $c2 ${t2}s ($(mbps x $t2))"
sync
read -r c1 t1 < <(pull "http://127.0.0.1:$LADING_PORT/v2/bench/big/blobs/$BIG")
read -r c2 t2 < <(pull "http://127.0.0.1:$DIST_PORT/v2/bench/big/blobs/$BIG")
read -r c3 t3 < <(pull "http://127.0.0.1:$NGINX_PORT/big")
echo "pull  lading: $c1 ${t1}s ($(mbps x $t1))   distribution: $c2 ${t2}s ($(mbps x $t2))   nginx: $c3 ${t3}s ($(mbps x $t3))"
echo "== lading peak RSS: $(awk '/VmHWM/{printf "%.0f MiB", $2/1024}' /proc/$LADING_PID/status)   distribution: $(awk '/VmHWM/{printf "%.0f MiB", $2/1024}' /proc/$DIST_PID/status)"
echo "== policy evaluation (bench/PolicyEvalBench.java)"
"$JAVA" -cp registry-http/target/lading.jar bench/PolicyEvalBench.java | tail -1
echo
# the memory scenario (issue 9): its own fresh Lading and Distribution, on other ports
SKIP_BUILD=1 bench/memory.sh
