#!/usr/bin/env bash
# Holds 64 connections for 30 seconds against `brief serve` on loopback with wrk, twice, and
# reports errors and the server's memory before, between and after.
#
#   bench/load_test.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"

if ! command -v wrk >/dev/null 2>&1; then
  apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null
fi
cargo build --release --quiet

site="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$site"' EXIT
cp -r content templates static messages "$site/"
target/release/brief serve --root "$site" --port 0 >"$site/serve.log" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q "Serving at" "$site/serve.log" 2>/dev/null && break; sleep 0.1; done
url="$(grep -o 'http://[^ ]*' "$site/serve.log")"
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }

# Every request picks one of the site's pages, the stylesheet or a missing page.
cat >"$site/paths.lua" <<'LUA'
local paths = { "/", "/announcements/", "/announcements/financial-cooperation/", "/timeline/",
  "/speakers/su-bo/", "/topics/finance/", "/search.json", "/style.css", "/no-such-page/" }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA

echo "server: $url (pid $pid)"
before="$(rss)"
echo "memory before: ${before} kB"
for run in 1 2; do
  echo "== run $run: wrk -t2 -c64 -d${seconds}s"
  wrk -t2 -c64 -d"${seconds}s" --latency -s "$site/paths.lua" "$url" | grep -E "Requests/sec|Latency|Non-2xx|Socket errors|requests in|50%|99%" || true
  echo "memory after run $run: $(rss) kB"
done
kill -INT "$pid"
wait "$pid" && echo "server stopped cleanly"
