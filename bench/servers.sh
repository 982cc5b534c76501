# Sourced by bench/run.sh and bench/memory.sh: how the bench starts its peer servers.

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
