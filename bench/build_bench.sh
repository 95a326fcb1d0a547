#!/usr/bin/env bash
# Cold-build benchmark: brief against Hugo on the same synthetic briefing (issue 6).
#
#   bench/build_bench.sh                      # 1000, 10000 and 50000 announcements, output on /dev/shm
#   bench/build_bench.sh 1000 10000           # chosen sizes only
#   bench/build_bench.sh --out-dir /var/tmp/brief-bench-out 10000   # output on a disk path (ext4)
#
# Options:
#   --out-dir DIR   where the two builds write (default: the work dir, on /dev/shm, a tmpfs)
#   --work DIR      where the generated sites and the results go (default: /dev/shm/brief-bench)
#   --runs N        timed runs per command (default: 5 up to 10k announcements, 3 above)
#   --regen         regenerate the sites even if they exist
#   --no-build      do not run `cargo build --release` (use target/release/brief as it is)
#   --no-install    do not try to install hugo and /usr/bin/time
#   --quiet-load L  before each size, wait (up to 30 min) until the 1-minute load average is below L
#   --languages L   the briefing in these languages, the default first (en,zh,vi): gen_site.py writes a
#                   translation of every announcement and speaker into each further language, for both
#                   tools, and the sites and results go under WORK/LANGS/
#
# For each size it generates the site with ../shared/bench/gen_site.py (brief and Hugo flavours;
# the brief flavour gets this project's templates/ copied in) and times cold builds of both with
# bench/alternate.py: one warmup round, then the runs of brief and Hugo alternate (brief, Hugo,
# Hugo, brief, ...), the output directory removed (and, on a disk, written back with `sync`)
# before every run, each run under /usr/bin/time -v for its peak memory. It prints a table
# (medians, ratios, median peak memory, time per page), the scaling check and brief's 10k time
# against the "floor" of the issue. Zola, which neither Debian 12 nor crates.io has, is timed
# against brief by bench/zola_bench.sh.
#
# Results (alternate.py's JSON with every run, summary.md) are kept in WORK/results-FS (FS: the
# output's file system type, tmpfs or ext4); the summary covers every size measured there, by
# this run or an earlier one.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(cd "$here/.." && pwd)"
gen="$(cd "$project/.." && pwd)/shared/bench/gen_site.py"

work=/dev/shm/brief-bench
out_dir=""
runs=""
regen=0
build=1
install=1
quiet_load=""
languages=""
sizes=()
while [ $# -gt 0 ]; do
    case "$1" in
        --out-dir) out_dir="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --regen) regen=1; shift ;;
        --no-build) build=0; shift ;;
        --no-install) install=0; shift ;;
        --quiet-load) quiet_load="$2"; shift 2 ;;
        --languages) languages="$2"; shift 2 ;;
        -h|--help) sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        [0-9]*) sizes+=("$1"); shift ;;
        *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
    esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 50000)
# A briefing in several languages is a site of its own: its sites and results go apart.
[ -z "$languages" ] || work="$work/${languages//,/-}"
[ -n "$out_dir" ] || out_dir="$work/out"
mkdir -p "$work" "$out_dir"
out_fs="$(df --output=fstype "$out_dir" | tail -1 | tr -d ' ')"
results="$work/results-$out_fs"

# ------------------------------------------------------------------ tools
need=()
command -v hugo >/dev/null || need+=(hugo)
[ -x /usr/bin/time ] || need+=(time)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$install" = 0 ]; then
        echo "missing: ${need[*]} (run without --no-install, as root, to install them)" >&2; exit 1
    fi
    echo "== installing ${need[*]}"
    apt-cache policy "${need[@]}" | grep -E '^[a-z0-9]|Candidate' || true
    sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
    # Wait for another apt/dpkg run to finish rather than fail on its lock.
    $sudo_ apt-get -o DPkg::Lock::Timeout=300 update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_ apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${need[@]}"
fi
[ -f "$gen" ] || { echo "no generator at $gen" >&2; exit 1; }

# ------------------------------------------------------------------ brief
if [ "$build" = 1 ]; then
    echo "== cargo build --release"
    (cd "$project" && cargo build --release --bin brief)
fi
[ -x "$project/target/release/brief" ] || { echo "no target/release/brief: build it first" >&2; exit 1; }
mkdir -p "$work/bin"
# A copy, so that another `cargo build --release` during the run cannot swap the binary under us.
brief="$work/bin/brief"
cp "$project/target/release/brief" "$brief"

mkdir -p "$results"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "host: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem:/{print $2}') GB RAM"
    echo "hugo: $(hugo version)"
    echo "brief: $(cd "$project" && git rev-parse --short HEAD)$(cd "$project" && git diff --quiet HEAD -- src templates Cargo.toml || echo ' + uncommitted changes')"
    echo "sites: $work/sites  output: $out_dir ($out_fs)"
    echo "load average at start: $load_start"
} | tee "$results/machine.txt"

# ------------------------------------------------------------------ per size
for n in "${sizes[@]}"; do
    site="$work/sites/$n"
    if [ "$regen" = 1 ] || [ ! -f "$site/.complete" ]; then
        echo "== generating $n announcements into $site"
        rm -rf "$site"
        python3 "$gen" --pages "$n" --out "$site" --only brief --only hugo ${languages:+--languages "$languages"}
        touch "$site/.complete"
    fi
    # Always the current templates. The templates refer to the stylesheet, the script and the icon of static/: those go too.
    rm -rf "$site/brief/templates"
    cp -r "$project/templates" "$site/brief/templates"
    rm -rf "$site/brief/messages"
    cp -r "$project/messages" "$site/brief/messages"
    cp "$project"/static/* "$site/brief/static/"

    if [ -n "$quiet_load" ]; then
        for _ in $(seq 180); do
            awk -v max="$quiet_load" '{ exit !($1 < max) }' /proc/loadavg && break
            sleep 10
        done
    fi
    r="$runs"
    [ -n "$r" ] || { if [ "$n" -le 10000 ]; then r=5; else r=3; fi; }
    ob="$out_dir/brief-$n"
    oh="$out_dir/hugo-$n"
    brief_cmd="$brief build --root $site/brief --out $ob"
    hugo_cmd="hugo --quiet --source $site/hugo --destination $oh"

    load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "== $n announcements: $r runs each, alternating (load average $load_before)"
    # On a disk, each build leaves over a hundred megabytes to write back, which the kernel would
    # otherwise do during the next runs, of either tool; `sync` (untimed) lets each run start clean.
    flush=""
    [ "$out_fs" = tmpfs ] || flush=" && sync"
    python3 "$here/alternate.py" --warmup 1 --runs "$r" --json "$results/runs-$n.json" \
        --name brief --prepare "rm -rf $ob$flush" --cmd "$brief_cmd" \
        --name hugo --prepare "rm -rf $oh$flush" --cmd "$hugo_cmd"
    # The last run of each is still in place.
    echo "pages written: brief $(find "$ob" -type f | wc -l), hugo $(find "$oh" -type f | wc -l)"
    rm -rf "$ob" "$oh"
    echo "$(date -u '+%Y-%m-%d %H:%M UTC')|$load_before|$(cut -d' ' -f1-3 /proc/loadavg)" >"$results/meta-$n.txt"
done
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "load average at end: $load_end" | tee -a "$results/machine.txt"

# ------------------------------------------------------------------ summary
# Every size measured into this results directory, this run or an earlier one (see the "measured" column).
python3 - "$results" <<'EOF' | tee "$results/summary.md"
import glob, json, os, re, sys
results = sys.argv[1]
sizes = sorted(int(re.search(r"runs-(\d+)\.json$", p).group(1)) for p in glob.glob(f"{results}/runs-*.json"))

def median(n, tool):
    r = json.load(open(f"{results}/runs-{n}.json"))["results"][tool]
    return r["median"], r["min"], r["max"], len(r["times"])

def peak_mb(n, tool):
    return json.load(open(f"{results}/runs-{n}.json"))["results"][tool]["max_rss_kb_median"] / 1024

def meta(n):
    try:
        when, before, after = open(f"{results}/meta-{n}.txt").read().strip().split("|")
        return f"{when}, load {before.split()[0]} → {after.split()[0]}"
    except (OSError, ValueError):
        return "?"

print("| announcements | brief median (s) | Hugo median (s) | brief/Hugo | brief peak (MB) | Hugo peak (MB) | memory brief/Hugo | brief ms/page | measured |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
per_page = {}
for n in sizes:
    b, bmin, bmax, bn = median(n, "brief")
    h, hmin, hmax, hn = median(n, "hugo")
    bm, hm = peak_mb(n, "brief"), peak_mb(n, "hugo")
    per_page[n] = b / n * 1000
    print(f"| {n:,} | {b:.3f} ({bmin:.3f}–{bmax:.3f}, {bn} runs) | {h:.3f} ({hmin:.3f}–{hmax:.3f}, {hn} runs) "
          f"| {b / h:.3f} | {bm:.0f} | {hm:.0f} | {bm / hm:.3f} | {per_page[n]:.4f} | {meta(n)} |")
print()
if len(sizes) > 1:
    lo, hi = min(sizes), max(sizes)
    ratio = per_page[hi] / per_page[lo]
    verdict = "within 20%" if ratio <= 1.2 else "NOT within 20%"
    print(f"Scaling: time per page at {hi:,} is {ratio:.2f}x the time per page at {lo:,} "
          f"({per_page[hi]:.4f} vs {per_page[lo]:.4f} ms): {verdict}.")
if 10000 in sizes:
    b = median(10000, "brief")[0]
    print(f"Floor: brief builds 10,000 announcements in {b:.3f} s; the issue's plain pipeline takes 0.8-1.4 s "
          f"(brief is {b / 0.8:.2f}x the fast end, {b / 1.4:.2f}x the slow end; the target is at most 2x).")
EOF
echo "results in $results"
