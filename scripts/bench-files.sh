#!/usr/bin/env bash
# Streams one 200 MB file through a T2M signed URL and through nginx (Debian's, on a loopback port in a temp
# dir) in the same run, then hammers both with concurrent 1 MiB Range requests (wrk). Prints a Markdown table
# for the README. Needs the release build: `cargo xtask build --release` (scripts/run does it).
set -euo pipefail
export T2M_BENCH=1
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

BIN="${T2M_SERVER_BIN:-$CARGO_TARGET_DIR/release/t2m-server}"
SIZE_MB="${BENCH_SIZE_MB:-200}"
SECONDS_PER_RUN="${BENCH_SECONDS:-10}"
[ -x "$BIN" ] || { echo "no server binary at $BIN; run cargo xtask build --release first" >&2; exit 1; }

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

say "making a ${SIZE_MB} MB sample (an MP4 header, then random bytes)"
mkdir -p "$WORK/www"
{ printf '\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41'; head -c "$((SIZE_MB * 1024 * 1024 - 32))" /dev/urandom; } > "$WORK/www/sample.mp4"

T2M_PORT="$(free_port)"
say "starting t2m-server on 127.0.0.1:$T2M_PORT"
LEPTOS_SITE_ADDR="127.0.0.1:$T2M_PORT" T2M_DATA_DIR="$WORK/data" RUST_LOG=warn "$BIN" > "$WORK/t2m.log" 2>&1 &
PIDS+=($!)
BASE="http://127.0.0.1:$T2M_PORT"
for _ in $(seq 100); do curl -fs "$BASE/api/system/health" >/dev/null && break; sleep 0.2; done

say "signing up a benchmark user and getting an API token"
JAR="$WORK/cookies"
curl -fs -o /dev/null -c "$JAR" -b "$JAR" -H "Origin: $BASE" \
  --data-urlencode "email=bench-$RANDOM@example.com" --data-urlencode "password=correct horse battery" \
  "$BASE/v1/client/sign_ups"
SID="$(curl -fs -b "$JAR" "$BASE/v1/client" | python3 -c 'import json,sys; print(json.load(sys.stdin)["session"]["id"])')"
TOKEN="$(curl -fs -b "$JAR" -X POST -H "Origin: $BASE" "$BASE/v1/client/sessions/$SID/tokens/t2m-api" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["jwt"])')"

say "uploading the sample"
UPLOAD_TIME="$(curl -fs -o "$WORK/upload.json" -w '%{time_total}' -H "Authorization: Bearer $TOKEN" \
  -F "file=@$WORK/www/sample.mp4;type=video/mp4" "$BASE/api/v1/files/upload")"
FILE_ID="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["data"]["id"])' "$WORK/upload.json")"
URL="$(curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"expiresIn":3600}' \
  "$BASE/api/v1/files/$FILE_ID/signed-url" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["url"])')"

NGINX_PORT="$(free_port)"
say "starting nginx on 127.0.0.1:$NGINX_PORT"
mkdir -p "$WORK/nginx/logs"
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  types { video/mp4 mp4; }
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/www; }
}
CONF
# nginx's workers run as an unprivileged user: let them read the sample.
chmod 755 "$WORK" "$WORK/www"
chmod 644 "$WORK/www/sample.mp4"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
PIDS+=($!)
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$NGINX_PORT/sample.mp4" -r 0-0 && break; sleep 0.1; done
NGINX_URL="http://127.0.0.1:$NGINX_PORT/sample.mp4"

# The best of three full downloads, in MB/s.
full_download() {
  local best=0
  for _ in 1 2 3; do
    local speed
    speed="$(curl -s -o /dev/null -w '%{http_code} %{speed_download}' "$1")"
    [ "${speed%% *}" = 200 ] || { echo "full download of $1 answered ${speed%% *}" >&2; exit 1; }
    speed="${speed#* }"
    best="$(python3 -c "print(max($best, $speed))")"
  done
  python3 -c "print(f'{$best / 1e6:.0f}')"
}

cat > "$WORK/ranges.lua" <<LUA
-- Random 1 MiB ranges over the whole file.
local size = $((SIZE_MB * 1024 * 1024))
local chunk = 1048576
math.randomseed(42)
request = function()
  local start = math.random(0, size - chunk)
  return wrk.format(nil, nil, { ["Range"] = "bytes=" .. start .. "-" .. (start + chunk - 1) })
end
LUA

# Requests per second and MB/s for concurrent Range requests.
ranges() {
  wrk -t2 -c16 -d"${SECONDS_PER_RUN}s" -s "$WORK/ranges.lua" "$1" > "$WORK/wrk.txt"
  if grep -q 'Non-2xx' "$WORK/wrk.txt"; then
    echo "Range requests to $1 failed:" >&2
    cat "$WORK/wrk.txt" >&2
    exit 1
  fi
  local rps mbs
  rps="$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$WORK/wrk.txt")"
  mbs="$(awk '/^Transfer\/sec/ {v=$2; if (v ~ /GB/) {sub("GB","",v); v*=1024} else {sub("MB","",v)}; printf "%.0f", v*1.048576}' "$WORK/wrk.txt")"
  echo "$rps req/s, $mbs MB/s"
}

say "measuring (each figure on the same machine, one after the other)"
T2M_FULL="$(full_download "$URL")"
NGINX_FULL="$(full_download "$NGINX_URL")"
T2M_RANGES="$(ranges "$URL")"
NGINX_RANGES="$(ranges "$NGINX_URL")"
UPLOAD_MBS="$(python3 -c "print(f'{$SIZE_MB * 1.048576 / $UPLOAD_TIME:.0f}')")"

cat <<TABLE

| what (${SIZE_MB} MB file, loopback, $(nproc) cores) | T2M signed URL | nginx $(nginx -v 2>&1 | sed 's|.*/||') |
|---|---|---|
| one full download (best of 3) | ${T2M_FULL} MB/s | ${NGINX_FULL} MB/s |
| random 1 MiB \`Range\` requests, 16 connections, ${SECONDS_PER_RUN} s (wrk) | ${T2M_RANGES} | ${NGINX_RANGES} |
| streamed multipart upload (curl -F) | ${UPLOAD_MBS} MB/s | — |
TABLE
