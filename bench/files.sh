#!/usr/bin/env bash
# halo's job-files benchmarks (issue #8), through a real `halo serve` and real pipelines, each
# beside the plain command that moves the same bytes on the same disk in the same run
# (see docs/benchmarks.md):
#  1. store_artifacts of an ART_MB file: the step's duration (v1.1 run_time_millis) vs `cp`.
#  2. The artifact's download through its pre-signed URL (curl) vs `cat` to /dev/null (and
#     nginx serving the same file, when installed), and to a file vs `cp`.
#  3. A BIG_MB artifact uploaded and downloaded while halo's VmRSS is sampled every 50 ms.
#  4. persist_to_workspace + attach_workspace of a WS_MB tree (~6,000 files of varied size,
#     some compressible) vs `tar -c | zstd -3 -T2 > file` and `zstd -d | tar -x`.
#  5. restore_cache of a 10,000-file cache (and `zstd -d | tar -x` of the same archive).
# Every halo figure is a median over RUNS runs (CACHE_RUNS for 5), alternated with its baseline.
# Sizes shrink (and the output says so) when the disk has less than ~3 WS_MB + 2 BIG_MB +
# 10 ART_MB + 1 GB free (~8.7 GB by default).
# Usage: bench/files.sh path/to/halo   (env: RUNS=3 CACHE_RUNS=5 ART_MB=512 BIG_MB=1024 WS_MB=500)
set -euo pipefail
HALO=$(realpath "${1:?usage: bench/files.sh path/to/halo}")
RUNS=${RUNS:-3}
CACHE_RUNS=${CACHE_RUNS:-5}
ART_MB=${ART_MB:-512}
BIG_MB=${BIG_MB:-1024}
WS_MB=${WS_MB:-500}
CACHE_FILES=10000
TOKEN=bench-token-0123456789abcdef
for tool in curl jq zstd tar git awk; do
  command -v "$tool" >/dev/null || { echo "bench/files.sh needs $tool" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/halo-bench-files-XXXXXX")
halo_pid=""; sampler_pid=""; nginx_pid=""
cleanup() {
  [[ -n "$sampler_pid" ]] && kill "$sampler_pid" 2>/dev/null || true
  [[ -n "$nginx_pid" ]] && kill "$nginx_pid" 2>/dev/null || true
  [[ -n "$halo_pid" ]] && kill "$halo_pid" 2>/dev/null && wait "$halo_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- disk space: everything lives in $work (sources, halo's data dir, baselines) -------------
need_mb=$(( 3 * WS_MB + 2 * BIG_MB + 10 * ART_MB + 1024 ))
avail_mb=$(df -Pm "$work" | awk 'NR == 2 { print $4 }')
scaled=""
if (( avail_mb < need_mb )); then
  f=$(awk -v a="$avail_mb" -v n="$need_mb" 'BEGIN { f = a / n; if (f < 0.05) f = 0.05; printf "%.3f", f }')
  ART_MB=$(awk -v m="$ART_MB" -v f="$f" 'BEGIN { printf "%d", m * f }')
  BIG_MB=$(awk -v m="$BIG_MB" -v f="$f" 'BEGIN { printf "%d", m * f }')
  WS_MB=$(awk -v m="$WS_MB" -v f="$f" 'BEGIN { printf "%d", m * f }')
  scaled=" (scaled down to ${f}x: $avail_mb MB free of the $need_mb MB wanted)"
fi

now_ms() { date +%s%3N; }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
list() { paste -sd' ' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "nan"; else printf "%.2f", a / b }'; }
mbps() { awk -v mb="$1" -v ms="$2" 'BEGIN { if (ms <= 0) print "nan"; else printf "%.0f", mb * 1000 / ms }'; }
timed() {  # timed FILE CMD...: appends CMD's wall time in ms to FILE
  local out=$1; shift
  local t0; t0=$(now_ms)
  "$@"
  echo $(( $(now_ms) - t0 )) >> "$out"
}

# --- the inputs -------------------------------------------------------------------------------
# Compressible text: lines of code-like text from random numbers (zstd -3 makes it ~4x smaller).
text() (  # text MB > file (head cuts the pipe short on purpose)
  set +o pipefail
  head -c $(( $1 * 1024 * 1024 / 4 + 4096 )) /dev/urandom | od -An -tu2 -w8 -v |
    awk '{ printf "    value_%s = compute(%s, \"%s\"); // %d\n", $1, $2, $3, NR }' | head -c $(( $1 * 1024 * 1024 ))
)
rand() { head -c $(( $1 * 1024 * 1024 )) /dev/urandom; }
mb() { awk -v m="$WS_MB" -v p="$1" 'BEGIN { v = int(m * p / 100); print v < 1 ? 1 : v }'; }
rand "$ART_MB" > "$work/art.bin"
rand "$BIG_MB" > "$work/big.bin"
tree="$work/tree"
mkdir -p "$tree"/{src/small,src/mid,logs,obj,lib,blobs}
(cd "$tree/src/small" && text "$(mb 4)" | split -C 4k -a 4 - f_ --additional-suffix=.c)
(cd "$tree/src/mid" && text "$(mb 6)" | split -C 48k -a 3 - m_ --additional-suffix=.py)
(cd "$tree/logs" && text "$(mb 20)" | split -b "$(( $(mb 20) * 1024 * 1024 / 4 + 1 ))" -a 1 - log_)
(cd "$tree/obj" && rand "$(mb 20)" | split -b 256k -a 3 - o_ --additional-suffix=.o)
(cd "$tree/lib" && rand "$(mb 30)" | split -b 3M -a 2 - l_ --additional-suffix=.so)
(cd "$tree/blobs" && rand "$(mb 20)" | split -b "$(( $(mb 20) * 1024 * 1024 / 2 + 1 ))" -a 1 - b_)
ws_files=$(find "$tree" -type f | wc -l)
ws_bytes=$(du -sb "$tree" | cut -f1)
cachesrc="$work/cachesrc"
mkdir -p "$cachesrc"
for d in $(seq -w 0 9); do
  mkdir -p "$cachesrc/pkg$d"
  text 4 > "$work/pool"
  (cd "$cachesrc/pkg$d" && split -n $(( CACHE_FILES / 10 )) -a 3 "$work/pool" f_ --additional-suffix=.js)
done
rm -f "$work/pool"
cache_bytes=$(du -sb "$cachesrc" | cut -f1)

# --- repositories, one project each -----------------------------------------------------------
mkrepo() {  # mkrepo NAME < config.yml
  local repo="$work/repos/$1"
  mkdir -p "$repo/.circleci"
  cat > "$repo/.circleci/config.yml"
  git -C "$repo" init -q -b main
  git -C "$repo" -c user.name=bench -c user.email=bench@halo.invalid add -A
  git -C "$repo" -c user.name=bench -c user.email=bench@halo.invalid commit -q -m bench
}
artifact_config() {  # artifact_config SOURCE
  cat <<YAML
version: 2.1
jobs:
  upload:
    docker: [{image: cimg/base:stable}]
    steps:
      - run: cp $1 file.bin && sync
      - store_artifacts: {path: file.bin}
workflows:
  main:
    jobs: [upload]
YAML
}
artifact_config "$work/art.bin" | mkrepo art
artifact_config "$work/big.bin" | mkrepo big
mkrepo ws <<YAML
version: 2.1
jobs:
  persist:
    docker: [{image: cimg/base:stable}]
    steps:
      - run: sync
      - persist_to_workspace: {root: $tree, paths: [.]}
  attach:
    docker: [{image: cimg/base:stable}]
    steps:
      - run: sync
      - attach_workspace: {at: ws}
      - run: test "\$(find ws -type f | wc -l)" = $ws_files
workflows:
  main:
    jobs: [persist, {attach: {requires: [persist]}}]
YAML
mkrepo cache <<YAML
version: 2.1
jobs:
  save:
    docker: [{image: cimg/base:stable}]
    steps:
      - run: test -e $work/cache-saved || { cp -r $cachesrc deps && touch $work/cache-saved; }
      - save_cache: {key: deps-v1, paths: [deps]}
  restore:
    docker: [{image: cimg/base:stable}]
    steps:
      - run: sync
      - restore_cache: {keys: [deps-v1]}
      - run: test "\$(find deps -type f | wc -l)" = $CACHE_FILES
workflows:
  main:
    jobs: [save, {restore: {requires: [save]}}]
YAML

# --- the server -------------------------------------------------------------------------------
HALO_ADMIN_TOKEN=$TOKEN "$HALO" serve --listen 127.0.0.1:0 --data-dir "$work/data" --runners 2 \
  --http-threads 2 >>"$work/halo.log" 2>&1 &
halo_pid=$!
for _ in $(seq 200); do [[ -f "$work/data/server.json" ]] && break; sleep 0.05; done
url=$(jq -r .url "$work/data/server.json")
rss() { local k v _; while read -r k v _; do [[ $k == VmRSS: ]] && { echo "$v"; return; }; done < "/proc/$halo_pid/status"; }
rss_start=$(rss)
api() { curl -sf -H "Circle-Token: $TOKEN" -H 'Content-Type: application/json' "$@"; }
for p in art big ws cache; do
  api -X POST -d "{\"vcs_url\":\"file://$work/repos/$p\"}" "$url/api/v2/project/gh/bench/$p" >/dev/null
done

# Runs a pipeline of project $1 to its end; prints "name number" per job. Fails unless all passed.
run_pipeline() {
  local id wf status
  id=$(api -X POST -d '{}' "$url/api/v2/project/gh/bench/$1/pipeline" | jq -r .id)
  while :; do
    status=$(api "$url/api/v2/pipeline/$id/workflow" | jq -r '.items[0].status // empty')
    case "$status" in
      success) break ;;
      failed|error|canceled|unauthorized)
        echo "bench: a pipeline of $1 ended $status" >&2; tail -20 "$work/halo.log" >&2; return 1 ;;
    esac
    sleep 0.1
  done
  wf=$(api "$url/api/v2/pipeline/$id/workflow" | jq -r '.items[0].id')
  api "$url/api/v2/workflow/$wf/job" | jq -r '.items[] | "\(.name) \(.job_number)"'
}
job_number() { awk -v n="$2" '$1 == n { print $2 }' <<<"$1"; }
step_ms() {  # step_ms PROJECT JOB_NUMBER STEP_NAME
  api "$url/api/v1.1/project/gh/bench/$1/$2" |
    jq -r --arg s "$3" '.steps[] | select(.name == $s) | .actions[0].run_time_millis'
}
step_text() {  # the step's output, for the record
  local out
  out=$(api "$url/api/v1.1/project/gh/bench/$1/$2" |
    jq -r --arg s "$3" '.steps[] | select(.name == $s) | .actions[0].output_url')
  curl -sf -H "Circle-Token: $TOKEN" -H 'Accept: text/plain' "$out" | tail -1
}
artifact_url() { api "$url/api/v2/project/gh/bench/$1/$2/artifacts" | jq -r '.items[0].url'; }
curl_ms() {  # curl_ms URL DEST: the download's wall time in ms; fails unless all bytes came
  local out
  out=$(curl -sf -o "$2" -w '%{time_total} %{size_download}' "$1")
  awk -v want="$3" '{ if ($2 != want) { print "bench: downloaded " $2 " of " want " bytes" > "/dev/stderr"; exit 1 }
                      printf "%d\n", $1 * 1000 }' <<<"$out"
}

r="$work/results"
mkdir -p "$r"
# nginx serving the same file (sendfile on), for the download: HTTP over loopback, not the
# disk, is what bounds a download to /dev/null.
nginx_port=""
if command -v nginx >/dev/null; then
  mkdir -p "$work/www" "$work/nginx-tmp"
  ln "$work/art.bin" "$work/www/art.bin"
  chmod a+rx "$work" "$work/www"; chmod a+r "$work/art.bin"  # nginx's workers may not be us
  nginx_port=$(( 20000 + RANDOM % 20000 ))
  cat > "$work/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 64; }
http {
  access_log off;
  sendfile on;
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
  for _ in $(seq 100); do curl -sf -o /dev/null -r 0-0 "http://127.0.0.1:$nginx_port/art.bin" && break; sleep 0.05; done
fi

# --- 1 + 2. artifact upload and download ------------------------------------------------------
art_bytes=$(stat -c %s "$work/art.bin")
for i in $(seq "$RUNS"); do
  jobs=$(run_pipeline art)
  n=$(job_number "$jobs" upload)
  step_ms art "$n" "Uploading artifacts" >> "$r/up"
  step_text art "$n" "Uploading artifacts" > "$r/up.line"
  sync
  # The copies stay until the end, as the artifacts do: on a VM, writing into memory that was
  # never used before (a file that is kept) costs several times what writing into pages just
  # freed by a removed file does, so a removed copy would make `cp` look faster than it is.
  timed "$r/cp" cp "$work/art.bin" "$work/copy-$i.bin"
  sync
  timed "$r/cpsync" sh -c "cp '$work/art.bin' '$work/copysync-$i.bin' && sync '$work/copysync-$i.bin'"
  sync
  a=$(artifact_url art "$n")
  curl_ms "$a" /dev/null "$art_bytes" >> "$r/down-null"
  timed "$r/cat" sh -c "cat '$work/art.bin' > /dev/null"
  [[ -n "$nginx_port" ]] && curl_ms "http://127.0.0.1:$nginx_port/art.bin" /dev/null "$art_bytes" >> "$r/nginx"
  curl_ms "$a" "$work/dl.bin" "$art_bytes" >> "$r/down-file"
  cmp -s "$work/dl.bin" "$work/art.bin" || { echo "bench: the downloaded artifact differs" >&2; exit 1; }
  rm -f "$work/dl.bin"; sync
  timed "$r/cp2" cp "$work/art.bin" "$work/copy.bin"
  rm -f "$work/copy.bin"; sync
done
rm -f "$work"/copy-*.bin "$work"/copysync-*.bin
up=$(median < "$r/up"); cp_ms=$(median < "$r/cp"); cpsync=$(median < "$r/cpsync")
down_null=$(median < "$r/down-null"); cat_ms=$(median < "$r/cat")
down_file=$(median < "$r/down-file"); cp2=$(median < "$r/cp2")

# --- 3. a big artifact with the server's RSS sampled ------------------------------------------
sample() { while :; do rss; sleep 0.05; done; }
big_bytes=$(stat -c %s "$work/big.bin")
rss_before=$(rss)
sample > "$r/rss-up" & sampler_pid=$!
t0=$(now_ms); jobs=$(run_pipeline big); big_pipeline_ms=$(( $(now_ms) - t0 ))
kill "$sampler_pid"; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=""
n=$(job_number "$jobs" upload)
big_up=$(step_ms big "$n" "Uploading artifacts")
a=$(artifact_url big "$n")
sample > "$r/rss-down" & sampler_pid=$!
big_down=$(curl_ms "$a" /dev/null "$big_bytes")
kill "$sampler_pid"; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=""
sleep 1
rss_after=$(rss)
rss_up_max=$(sort -n "$r/rss-up" | tail -1); rss_down_max=$(sort -n "$r/rss-down" | tail -1)
rss_samples=$(( $(wc -l < "$r/rss-up") + $(wc -l < "$r/rss-down") ))
rss_growth=$(( (rss_up_max > rss_down_max ? rss_up_max : rss_down_max) - rss_before ))

# --- 4. workspace: persist + attach vs tar | zstd ---------------------------------------------
for i in $(seq "$RUNS"); do
  jobs=$(run_pipeline ws)
  p=$(job_number "$jobs" persist); t=$(job_number "$jobs" attach)
  step_ms ws "$p" "Persisting to workspace" >> "$r/persist"
  step_ms ws "$t" "Attaching workspace" >> "$r/attach"
  step_text ws "$p" "Persisting to workspace" > "$r/persist.line"
  step_text ws "$t" "Attaching workspace" > "$r/attach.line"
  sync
  timed "$r/tarzstd" sh -c "tar -C '$tree' -cf - . | zstd -3 -T2 -q > '$work/ws-$i.tar.zst'"
  ws_zst_bytes=$(stat -c %s "$work/ws-$i.tar.zst")
  sync; mkdir "$work/x"
  timed "$r/untar" sh -c "zstd -d -q < '$work/ws-$i.tar.zst' | tar -C '$work/x' -xf -"
  rm -rf "$work/x"; sync  # the archive stays, as the workspace layers do
done
rm -f "$work"/ws-*.tar.zst
persist=$(median < "$r/persist"); attach=$(median < "$r/attach")
tarzstd=$(median < "$r/tarzstd"); untar=$(median < "$r/untar")
ws_halo=$(paste "$r/persist" "$r/attach" | awk '{ print $1 + $2 }' | median)
ws_base=$(paste "$r/tarzstd" "$r/untar" | awk '{ print $1 + $2 }' | median)

# --- 5. restore_cache of 10,000 files ---------------------------------------------------------
tar -C "$cachesrc" -cf - . | zstd -3 -T2 -q > "$work/cache.tar.zst"
for _ in $(seq "$CACHE_RUNS"); do
  jobs=$(run_pipeline cache)
  t=$(job_number "$jobs" restore)
  step_ms cache "$t" "Restoring cache" >> "$r/restore"
  step_text cache "$t" "Restoring cache" > "$r/restore.line"
  sync; mkdir "$work/x"
  timed "$r/cache-untar" sh -c "zstd -d -q < '$work/cache.tar.zst' | tar -C '$work/x' -xf -"
  rm -rf "$work/x"; sync
done
restore=$(median < "$r/restore"); cache_untar=$(median < "$r/cache-untar")

# --- report -----------------------------------------------------------------------------------
echo "halo files bench $(date -u +%FT%TZ) on $(nproc) cores, $(df -Pm "$work" | awk 'NR == 2 { print $1 }'), medians of $RUNS runs$scaled"
echo "store_artifacts ${ART_MB} MB: halo ${up} ms ($(mbps "$ART_MB" "$up") MB/s) [$(list "$r/up")]; cp ${cp_ms} ms [$(list "$r/cp")]; throughput ratio halo/cp $(ratio "$cp_ms" "$up"); cp+sync ${cpsync} ms, halo/(cp+sync) $(ratio "$cpsync" "$up")"
echo "  step output: $(cat "$r/up.line")"
echo "artifact download ${ART_MB} MB to /dev/null: curl ${down_null} ms ($(mbps "$ART_MB" "$down_null") MB/s) [$(list "$r/down-null")]; cat ${cat_ms} ms [$(list "$r/cat")]; halo/cat $(ratio "$cat_ms" "$down_null")"
[[ -s "$r/nginx" ]] && echo "  nginx (sendfile) serving the same file, same run: $(median < "$r/nginx") ms [$(list "$r/nginx")]; halo/nginx $(ratio "$(median < "$r/nginx")" "$down_null")"
echo "artifact download ${ART_MB} MB to a file: curl ${down_file} ms [$(list "$r/down-file")]; cp ${cp2} ms [$(list "$r/cp2")]; halo/cp $(ratio "$cp2" "$down_file")"
echo "artifact ${BIG_MB} MB: upload step ${big_up} ms, download ${big_down} ms; halo VmRSS at start ${rss_start} kB, before ${rss_before} kB, max during upload ${rss_up_max} kB, during download ${rss_down_max} kB, after ${rss_after} kB ($rss_samples samples): max growth $(( rss_growth / 1024 )) MB"
echo "workspace ${ws_bytes} bytes, ${ws_files} files (zstd -3: ${ws_zst_bytes} bytes): persist ${persist} ms [$(list "$r/persist")] + attach ${attach} ms [$(list "$r/attach")]; tar|zstd ${tarzstd} ms [$(list "$r/tarzstd")] + zstd -d|tar -x ${untar} ms [$(list "$r/untar")]"
echo "  workspace ratio (tar|zstd + zstd -d|tar -x) / (persist + attach): $(ratio "$ws_base" "$ws_halo") (persist $(ratio "$tarzstd" "$persist"), attach $(ratio "$untar" "$attach"))"
echo "  step output: $(cat "$r/persist.line") / $(cat "$r/attach.line")"
echo "restore_cache ${CACHE_FILES} files (${cache_bytes} bytes): ${restore} ms [$(list "$r/restore")] (median of $CACHE_RUNS); zstd -d|tar -x of the same ${cache_untar} ms [$(list "$r/cache-untar")]"
echo "  step output: $(cat "$r/restore.line")"
