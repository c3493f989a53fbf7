#!/usr/bin/env bash
# halo's benchmarks, run side by side in one go on this machine (see docs/benchmarks.md):
#  1. GET /api/v2/pipeline/{id} under wrk (2 threads, 64 connections, keep-alive), beside
#     nginx serving the same bytes as a static file: requests/s, p99, and the ratio.
#  2. Time from a pipeline's creation to its first job starting, over N pipelines.
#  3. Webhooks, to a local receiver (bench/webhook_sink.cpp, built beside halo): the delay
#     from a job's completion (job.stopped_at) to the receiver getting its job-completed
#     event, over HOOK_PIPELINES pipelines; and delivery throughput, measured by draining a
#     backlog of HOOK_BACKLOG signed events that halo finds in its outbox when it starts.
# Usage: bench/run.sh path/to/halo [pipelines=200] [seconds=10]
#        (env: HALO_WEBHOOK_SINK, HOOK_PIPELINES=100, HOOK_BACKLOG=5000)
set -euo pipefail
HALO=$(realpath "${1:?usage: bench/run.sh path/to/halo}")
PIPELINES=${2:-200}
SECONDS_PER_RUN=${3:-10}
TOKEN=bench-token-0123456789abcdef
SINK=$(realpath "${HALO_WEBHOOK_SINK:-$(dirname "$HALO")/halo-webhook-sink}")
HOOK_PIPELINES=${HOOK_PIPELINES:-100}
HOOK_BACKLOG=${HOOK_BACKLOG:-5000}
work=$(mktemp -d /tmp/halo-bench-XXXXXX)
halo_pid=""; nginx_pid=""; sink_pid=""
cleanup() {
  [[ -n "$halo_pid" ]] && kill "$halo_pid" 2>/dev/null && wait "$halo_pid" 2>/dev/null || true
  [[ -n "$sink_pid" ]] && kill "$sink_pid" 2>/dev/null || true
  [[ -n "$nginx_pid" ]] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A repository whose pipeline is one tiny job.
repo="$work/repo"
mkdir -p "$repo/.circleci"
cat > "$repo/.circleci/config.yml" <<'YAML'
version: 2.1
jobs:
  build:
    docker: [{image: cimg/base:stable}]
    steps:
      - run: "true"
workflows:
  main:
    jobs: [build]
YAML
git -C "$repo" init -q -b main
git -C "$repo" -c user.name=bench -c user.email=bench@halo.invalid add -A
git -C "$repo" -c user.name=bench -c user.email=bench@halo.invalid commit -q -m bench

start_halo() {
  rm -f "$work/data/server.json"
  HALO_ADMIN_TOKEN=$TOKEN "$HALO" serve --listen 127.0.0.1:0 --data-dir "$work/data" --runners 2 \
    --http-threads 2 --allow-http-webhooks >>"$work/halo.log" 2>&1 &
  halo_pid=$!
  for _ in $(seq 200); do [[ -f "$work/data/server.json" ]] && break; sleep 0.05; done
  url=$(jq -r .url "$work/data/server.json")
}
start_halo
api() { curl -sf -H "Circle-Token: $TOKEN" -H 'Content-Type: application/json' "$@"; }
api -X POST -d "{\"vcs_url\":\"file://$repo\"}" "$url/api/v2/project/gh/bench/app" >/dev/null

# --- 2. creation -> first job start -----------------------------------------------------
lat="$work/first-job-ms.txt"
: > "$lat"
for _ in $(seq "$PIPELINES"); do
  id=$(api -X POST -d '{}' "$url/api/v2/project/gh/bench/app/pipeline" | jq -r .id)
  created=$(api "$url/api/v2/pipeline/$id" | jq -r .created_at)
  while :; do
    wf=$(api "$url/api/v2/pipeline/$id/workflow" | jq -r '.items[0].id // empty')
    if [[ -n "$wf" ]]; then
      started=$(api "$url/api/v2/workflow/$wf/job" | jq -r '.items[0].started_at // empty')
      [[ -n "$started" ]] && break
    fi
    sleep 0.005
  done
  echo $(( $(date -d "$started" +%s%3N) - $(date -d "$created" +%s%3N) )) >> "$lat"
done
first_median=$(sort -n "$lat" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
first_p99=$(sort -n "$lat" | awk '{a[NR]=$1} END {i=int(NR*0.99); if (i<1) i=1; print a[i]}')

# --- 1. GET /pipeline/{id} vs nginx --------------------------------------------------------
body="$work/www/pipeline.json"
mkdir -p "$work/www"
# nginx's workers run as another user when this runs as root: without this, mktemp's 0700
# directory made nginx answer 403 to every request, and wrk counted those.
chmod a+rx "$work" "$work/www"
api "$url/api/v2/pipeline/$id" > "$body"
nginx_port=$(( 20000 + RANDOM % 20000 ))
cat > "$work/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp;
  fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp;
  scgi_temp_path $work/nginx-tmp;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { root $work/www; }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$nginx_port/pipeline.json" >/dev/null && break; sleep 0.05; done
curl -sf "http://127.0.0.1:$nginx_port/pipeline.json" | cmp -s - "$body" ||
  { echo "bench: nginx does not serve $body (see $work/nginx-error.log)" >&2; exit 1; }

run_wrk() {  # prints "rps p99_ms"
  wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" --latency "$@" 2>&1 | awk '
    /Requests\/sec/ { rps = $2 }
    $1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }; p99 = v }
    END { printf "%s %s\n", rps, p99 }'
}
read -r halo_rps halo_p99 < <(run_wrk -H "Circle-Token: $TOKEN" "$url/api/v2/pipeline/$id")
read -r nginx_rps nginx_p99 < <(run_wrk "http://127.0.0.1:$nginx_port/pipeline.json")
ratio=$(awk -v a="$halo_rps" -v b="$nginx_rps" 'BEGIN { printf "%.2f", a / b }')

# --- 3. webhooks ------------------------------------------------------------------------
"$SINK" "$work/sink.port" >"$work/sink.log" &
sink_pid=$!
for _ in $(seq 100); do [[ -s "$work/sink.port" ]] && break; sleep 0.05; done
sink_url="http://127.0.0.1:$(cat "$work/sink.port")/hook"
project_id=$(api "$url/api/v2/project/gh/bench/app" | jq -r .id)
api -X POST -d "{\"name\":\"bench\",\"url\":\"$sink_url\",\"verify-tls\":true,\"signing-secret\":\"bench-secret\",\"events\":[\"job-completed\",\"workflow-completed\"],\"scope\":{\"id\":\"$project_id\",\"type\":\"project\"}}" \
  "$url/api/v2/webhook" >/dev/null
lines() { wc -l < "$work/sink.log"; }
wait_lines() {  # until the sink has printed $1 lines (at most 120 s)
  for _ in $(seq 12000); do (( $(lines) >= $1 )) && return 0; sleep 0.01; done
  echo "bench: the webhook receiver got $(lines) of $1 events" >&2; return 1
}
for _ in $(seq "$HOOK_PIPELINES"); do
  api -X POST -d '{}' "$url/api/v2/project/gh/bench/app/pipeline" >/dev/null
  sleep 0.05  # a steady trickle, not a burst: this measures delay, not queueing
done
wait_lines $(( HOOK_PIPELINES * 2 ))
delays="$work/hook-delay-ms.txt"
awk '$2 == "job-completed" { print $1 - $3 }' "$work/sink.log" | sort -n > "$delays"
hook_median=$(awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}' "$delays")
hook_p99=$(awk '{a[NR]=$1} END {i=int(NR*0.99); if (i<1) i=1; print a[i]}' "$delays")

# Throughput: stop halo, copy one real signed event HOOK_BACKLOG times into the outbox (as
# if the receiver had been away), start halo and time the receiver draining it.
kill "$halo_pid"; wait "$halo_pid" 2>/dev/null || true; halo_pid=""
now_ms=$(date +%s%3N)
sqlite3 "$work/data/halo.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $HOOK_BACKLOG)
  INSERT INTO outbox (id, kind, target_id, event_type, body, created_at, next_attempt_at)
  SELECT lower(hex(randomblob(16))), e.kind, e.target_id, e.event_type, e.body, $now_ms, $now_ms
  FROM n, (SELECT * FROM outbox WHERE event_type = 'job-completed' LIMIT 1) e;"
before=$(lines)
start_halo
wait_lines $(( before + HOOK_BACKLOG ))
hook_rate=$(tail -n "$HOOK_BACKLOG" "$work/sink.log" | awk 'NR == 1 { first = $1 } { last = $1 }
  END { span = (last - first) / 1000; if (span <= 0) span = 0.001; printf "%.0f", (NR - 1) / span }')

echo "halo bench $(date -u +%FT%TZ) on $(nproc) cores"
echo "GET /api/v2/pipeline/{id}: halo $halo_rps req/s (p99 ${halo_p99} ms); nginx static $nginx_rps req/s (p99 ${nginx_p99} ms); ratio $ratio"
echo "pipeline created -> first job started over $PIPELINES pipelines: median ${first_median} ms, p99 ${first_p99} ms"
echo "webhooks: job completed -> job-completed delivered over $HOOK_PIPELINES pipelines: median ${hook_median} ms, p99 ${hook_p99} ms"
echo "webhooks: $hook_rate events/s delivered (signed, one receiver, backlog of $HOOK_BACKLOG)"

# --- 4. config compiler -----------------------------------------------------------------
# Median compile time of the three largest configs of shared/configs (make bench builds it).
if [[ -n "${HALO_CONFIG_BENCH:-}" && -x "${HALO_CONFIG_BENCH}" ]]; then
  "$HALO_CONFIG_BENCH" --benchmark_format=csv 2>/dev/null | awk -F, '
    $1 ~ /_median"?$/ { name = $1; gsub(/"/, "", name); sub(/_median$/, "", name); sub(/\/repeats:[0-9]+$/, "", name)
                        split(name, part, "/")
                        printf "config %s %s: median %.3f ms\n", part[1], part[2], $3 }'
fi

# --- 5. GraphQL engine ------------------------------------------------------------------
# Parse + validate + execute of a 100-field query and of the introspection query over the
# Cirrus schema, engine only (constant resolvers; make bench builds it).
if [[ -n "${HALO_GRAPHQL_BENCH:-}" && -x "${HALO_GRAPHQL_BENCH}" ]]; then
  "$HALO_GRAPHQL_BENCH" --benchmark_format=csv 2>/dev/null | awk -F, '
    $1 ~ /_median"?$/ { name = $1; gsub(/"/, "", name); sub(/_median$/, "", name); sub(/\/repeats:[0-9]+$/, "", name)
                        printf "graphql %s: median %.1f us (cpu %.1f us)\n", name, $3, $4 }'
fi
