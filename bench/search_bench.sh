#!/usr/bin/env bash
# `brief publish` (with its full-text search index) against what a Hugo user runs for the same
# result, on the same synthetic briefing, side by side in one run:
#
#   hugo --minify, then the Pagefind CLI (npm's pagefind) on its output, then gzip and brotli
#   copies of the text files with Debian's gzip and brotli, one process per core, at the levels
#   brief uses (gzip -6; brotli -q 6, which brief uses for every file up to 64 KB: all but the
#   lists, which get -q 8); `--default-levels` uses the tools' own defaults instead (gzip -6,
#   brotli -q 11, which is several times slower)
#
#   bench/search_bench.sh                 # 10,000 and 50,000 announcements
#   bench/search_bench.sh 10000           # one size
#
# Options:
#   --work DIR      generated sites, output and results (default /dev/shm/brief-bench, shared with
#                   build_bench.sh, whose sites it reuses)
#   --runs N        timed runs of each (default 3)
#   --no-build      use target/release/brief as it is
#   --no-bytes      skip the measure of what a browser downloads for a first query
#   --default-levels  compress the Hugo output at gzip's and brotli's default levels
#
# Timing is bench/alternate.py's (one warmup round, the two alternate, each run under
# /usr/bin/time -v for its peak memory; the Hugo pipeline's peak is that of its largest step).
# Then, unless --no-bytes, bench/search_bytes.mjs opens the search page of brief's output in
# Chromium, types a query and sums the bytes the browser fetched to show the first results. It
# prints a table and keeps everything under WORK/search-results/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(cd "$here/.." && pwd)"
gen="$(cd "$project/.." && pwd)/shared/bench/gen_site.py"
work=/dev/shm/brief-bench
runs=3
gzip_level=-6
brotli_level="-q 6"
build=1
bytes=1
sizes=()
while [ $# -gt 0 ]; do
    case "$1" in
        --work) work="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        --no-bytes) bytes=0; shift ;;
        --default-levels) gzip_level=""; brotli_level=""; shift ;;
        -h|--help) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        [0-9]*) sizes+=("$1"); shift ;;
        *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
    esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 50000)
results="$work/search-results"
mkdir -p "$work/out" "$results"

# ------------------------------------------------------------------ tools
need=()
command -v hugo >/dev/null || need+=(hugo)
command -v brotli >/dev/null || need+=(brotli)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
    sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
    $sudo_ apt-get -o DPkg::Lock::Timeout=300 update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_ apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${need[@]}"
fi
# The Pagefind CLI as a Hugo user installs it: npm's package, the same version as brief's crate.
pagefind_version="$(cd "$project" && cargo tree -i pagefind --depth 0 2>/dev/null | sed -n 's/^pagefind v//p' | head -1)"
if [ ! -x "$work/npm/node_modules/.bin/pagefind" ]; then
    npm install --silent --prefix "$work/npm" "pagefind@${pagefind_version:-1.6.0}"
fi
pagefind="$work/npm/node_modules/.bin/pagefind"

if [ "$build" = 1 ]; then
    (cd "$project" && cargo build --release --bin brief)
fi
mkdir -p "$work/bin"
brief="$work/bin/brief-search"
cp "$project/target/release/brief" "$brief"

# The Hugo user's pipeline, as one command for alternate.py.
pipeline="$work/bin/hugo-pipeline.sh"
cat >"$pipeline" <<EOF
#!/usr/bin/env bash
set -euo pipefail
src="\$1"; out="\$2"
hugo --quiet --minify --source "\$src" --destination "\$out"
"$pagefind" --site "\$out" >/dev/null
find "\$out" -type f \\( -name '*.html' -o -name '*.css' -o -name '*.js' -o -name '*.json' -o -name '*.xml' -o -name '*.svg' -o -name '*.txt' \\) -print0 |
    xargs -0 -n 64 -P "\$(nproc)" gzip $gzip_level -k -f
find "\$out" -type f \\( -name '*.html' -o -name '*.css' -o -name '*.js' -o -name '*.json' -o -name '*.xml' -o -name '*.svg' -o -name '*.txt' \\) -print0 |
    xargs -0 -n 64 -P "\$(nproc)" brotli $brotli_level -k -f
EOF
chmod +x "$pipeline"

{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "host: $(nproc) CPUs, $(free -g | awk '/^Mem:/{print $2}') GB RAM"
    echo "hugo: $(hugo version)"
    echo "pagefind (npm): $("$pagefind" --version 2>/dev/null || echo "$pagefind_version")"
    echo "brief: $(cd "$project" && git rev-parse --short HEAD)$(cd "$project" && git diff --quiet HEAD -- src templates Cargo.toml || echo ' + uncommitted changes')"
} | tee "$results/machine.txt"

for n in "${sizes[@]}"; do
    site="$work/sites/$n"
    if [ ! -f "$site/.complete" ]; then
        rm -rf "$site"
        python3 "$gen" --pages "$n" --out "$site" --only brief --only hugo
        touch "$site/.complete"
    fi
    rm -rf "$site/brief/templates" "$site/brief/messages"
    cp -r "$project/templates" "$site/brief/templates"
    cp -r "$project/messages" "$site/brief/messages"
    cp "$project"/static/* "$site/brief/static/"
    ob="$work/out/search-brief-$n"
    oh="$work/out/search-hugo-$n"
    echo "== $n announcements: $runs runs each, alternating (load $(cut -d' ' -f1 /proc/loadavg))"
    python3 "$here/alternate.py" --warmup 1 --runs "$runs" --json "$results/runs-$n.json" \
        --name brief --prepare "rm -rf $ob" --cmd "$brief publish --root $site/brief --out $ob" \
        --name hugo-pipeline --prepare "rm -rf $oh" --cmd "$pipeline $site/hugo $oh"
    echo "files: brief $(find "$ob" -type f | wc -l) ($(du -sm "$ob" | cut -f1) MB), hugo pipeline $(find "$oh" -type f | wc -l) ($(du -sm "$oh" | cut -f1) MB)"
    echo "index files: brief $(find "$ob/pagefind" -type f | wc -l), hugo pipeline $(find "$oh/pagefind" -type f | wc -l)"
    rm -rf "$oh"
    if [ "$bytes" = 1 ]; then
        # Published again under the address the measure serves it at.
        node "$here/search_bytes.mjs" --brief "$brief" --site "$site/brief" --out "$ob" --query cooperation \
            | tee "$results/bytes-$n.json"
    fi
    rm -rf "$ob"
done

python3 - "$results" <<'EOF' | tee "$results/summary.md"
import glob, json, re, sys
results = sys.argv[1]
sizes = sorted(int(re.search(r"runs-(\d+)\.json$", p).group(1)) for p in glob.glob(f"{results}/runs-*.json"))
print("| announcements | brief publish (s) | Hugo + Pagefind + gzip/brotli (s) | time ratio | brief peak (MB) | pipeline peak (MB) | memory ratio | first query: bytes fetched |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|")
for n in sizes:
    r = json.load(open(f"{results}/runs-{n}.json"))["results"]
    b, h = r["brief"], r["hugo-pipeline"]
    bm, hm = b["max_rss_kb_median"] / 1024, h["max_rss_kb_median"] / 1024
    try:
        by = json.load(open(f"{results}/bytes-{n}.json"))
        fetched = f"{by['bytes'] / 1024:.0f} KB ({by['brotli_bytes'] / 1024:.0f} KB with the .br copies) in {by['requests']} requests"
    except (OSError, ValueError, KeyError):
        fetched = "not measured"
    print(f"| {n:,} | {b['median']:.2f} ({b['min']:.2f}–{b['max']:.2f}) | {h['median']:.2f} ({h['min']:.2f}–{h['max']:.2f}) "
          f"| {b['median'] / h['median']:.3f} | {bm:.0f} | {hm:.0f} | {bm / hm:.3f} | {fetched} |")
EOF
echo "results in $results"
