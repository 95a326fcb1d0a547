#!/usr/bin/env bash
# Time `brief check` on a briefing whose one announcement lists N unknown speakers, to show how the
# cost of many errors in one YAML document grows with N (it should grow linearly: one index of the
# front matter, one look-up per error).
#
#   bench/yaml_errors.sh                  # 5000, 10000 and 20000 unknown speakers, release build
#   bench/yaml_errors.sh 1000 40000       # chosen sizes only
#   bench/yaml_errors.sh --debug          # the debug build (target/debug/brief), much slower
#
# Options:
#   --debug       time target/debug/brief (built with `cargo build`) instead of the release build
#   --no-build    do not build; use the binary as it is
#   --brief PATH  time this binary (such as a build of another commit), without building
#   --runs N      timed runs per size (default 3); the median is reported
#   --work DIR    where the sites are made (default: a temporary folder, removed at the end)
#
# Each site is the starter (`brief new`) with `speakers: [jane-doe]` of its announcement replaced
# by `speakers: [nobody-00000, nobody-00001, ...]`. Every run must exit 1 and report the N
# problems; the table gives the median wall time, the time per error, and against the size before
# it the ratio of the sizes and of the times (equal ratios mean linear growth).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(cd "$here/.." && pwd)"

profile=release
brief=""
build=1
runs=3
work=""
sizes=()
while [ $# -gt 0 ]; do
    case "$1" in
        --debug) profile=debug; shift ;;
        --no-build) build=0; shift ;;
        --brief) brief="$2"; build=0; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
        [0-9]*) sizes+=("$1"); shift ;;
        *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
    esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(5000 10000 20000)

if [ "$build" = 1 ]; then
    if [ "$profile" = release ]; then
        (cd "$project" && cargo build --release --bin brief)
    else
        (cd "$project" && cargo build --bin brief)
    fi
fi
[ -n "$brief" ] || brief="$project/target/$profile/brief"
[ -x "$brief" ] || { echo "no $brief: build it or drop --no-build" >&2; exit 2; }

if [ -z "$work" ]; then
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"

now() { date +%s%N; }

printf '%-8s %12s %16s %8s %8s\n' errors "median (s)" "per error (µs)" "× size" "× time"
previous=""
previous_n=""
for n in "${sizes[@]}"; do
    site="$work/site-$n"
    rm -rf "$site"
    "$brief" new "$site" >/dev/null
    announcement="$site/content/announcements/opening.md"
    grep -q '^speakers: \[jane-doe\]$' "$announcement" || {
        echo "the starter's announcement no longer has 'speakers: [jane-doe]'" >&2
        exit 1
    }
    list="$(seq -f 'nobody-%05g' 0 $((n - 1)) | paste -sd, - | sed 's/,/, /g')"
    # The list can be longer than sed's or the shell's limit for one argument: build the file.
    {
        sed -n '1,/^speakers: /{/^speakers: /!p}' "$announcement"
        printf 'speakers: [%s]\n' "$list"
        sed -n '/^speakers: /,${/^speakers: /!p}' "$announcement"
    } >"$announcement.new"
    mv "$announcement.new" "$announcement"

    times=()
    for _ in $(seq "$runs"); do
        start="$(now)"
        set +e
        "$brief" check --root "$site" >"$work/out" 2>"$work/err"
        code=$?
        set -e
        end="$(now)"
        if [ "$code" != 1 ] || ! grep -q "the site has $n problems" "$work/err"; then
            echo "brief check on $n unknown speakers: exit $code, expected 1 and $n problems:" >&2
            tail -5 "$work/err" >&2
            exit 1
        fi
        times+=($((end - start)))
    done
    median="$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")"
    size_ratio="-"
    time_ratio="-"
    if [ -n "$previous" ]; then
        size_ratio="$(awk -v a="$n" -v b="$previous_n" 'BEGIN { printf "%.2f", a / b }')"
        time_ratio="$(awk -v a="$median" -v b="$previous" 'BEGIN { printf "%.2f", a / b }')"
    fi
    awk -v n="$n" -v ns="$median" -v s="$size_ratio" -v t="$time_ratio" \
        'BEGIN { printf "%-8d %12.3f %16.1f %8s %8s\n", n, ns / 1e9, ns / 1e3 / n, s, t }'
    previous="$median"
    previous_n="$n"
done
echo "($brief; $runs runs per size; $(nproc) cores)"
