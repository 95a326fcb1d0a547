#!/usr/bin/env bash
# Deploy benchmark (issue 15): `brief deploy` against `aws s3 sync` on the same published site, both
# into moto's S3 server on loopback, side by side in one run.
#
#   bench/deploy_bench.sh [PAGES]          # default 10000 announcements
#
# It generates the synthetic briefing with ../shared/bench/gen_site.py (this project's templates,
# messages and static files copied in), publishes it once, then times, for each tool, into its own
# bucket:
#   first    - the first deploy of the whole site into an empty bucket
#   one-file - after one announcement's title is edited and the site published again, the deploy
#              that brings the bucket up to date
# `brief deploy --from DIR` is timed on the published folder, as `aws s3 sync DIR` is; the one-file
# redeploy is also timed as one `brief deploy` command, publishing included. `aws s3 sync` skips the
# same files brief leaves out of a store (.gz and .br copies, _headers, dotfiles). Tools it needs
# (moto's server, awscli) are installed from PyPI into a virtual environment under WORK.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(cd "$here/.." && pwd)"
gen="$(cd "$project/.." && pwd)/shared/bench/gen_site.py"
pages="${1:-10000}"
work=/dev/shm/brief-deploy-bench
brief="$project/target/release/brief"

(cd "$project" && cargo build --release --quiet)
mkdir -p "$work"
if [ ! -x "$work/venv/bin/aws" ] || [ ! -x "$work/venv/bin/moto_server" ]; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install --quiet --disable-pip-version-check -r "$project/tests/requirements.txt" 'awscli==1.46.3'
fi
site="$work/site-$pages/brief"
if [ ! -d "$site" ]; then
    python3 "$gen" --pages "$pages" --out "$work/site-$pages" --only brief >/dev/null
fi
for d in templates messages static; do
    rm -rf "${site:?}/$d"
    cp -r "$project/$d" "$site/$d"
done

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$work" && exec "$work/venv/bin/moto_server" -H 127.0.0.1 -p "$port" >/dev/null 2>&1) &
moto=$!
trap 'kill $moto 2>/dev/null || true' EXIT
until curl -s "http://127.0.0.1:$port/" >/dev/null; do sleep 0.2; done
for bucket in brief awscli; do curl -s -X PUT "http://127.0.0.1:$port/$bucket" >/dev/null; done

export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
out="$work/out"
excludes=(--exclude '*.gz' --exclude '*.br' --exclude '_headers' --exclude '.*' --exclude '*/.*')
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }

rm -rf "$out"
"$brief" publish --root "$site" --out "$out" >/dev/null
files=$(find "$out" -type f | wc -l)
echo "site: $pages announcements, $files published files ($(du -sh "$out" | cut -f1)); moto $("$work/venv/bin/python" -c 'import moto; print(moto.__version__)'), $("$work/venv/bin/aws" --version 2>&1 | cut -d' ' -f1)"

b_first=$(seconds "$brief" deploy s3://brief/site --from "$out")
a_first=$(seconds "$work/venv/bin/aws" s3 sync "$out" s3://awscli/site "${excludes[@]}" --only-show-errors)

# One announcement edited, the site published again.
ann="$site/content/announcements/announcement-000123.md"
sed -i "s/^title: .*/title: \"Edited $(date +%s)\"/" "$ann"
rm -rf "$out"
"$brief" publish --root "$site" --out "$out" >/dev/null
b_one=$(seconds "$brief" deploy s3://brief/site --from "$out")
a_one=$(seconds "$work/venv/bin/aws" s3 sync "$out" s3://awscli/site "${excludes[@]}" --only-show-errors)
sed -i "s/^title: .*/title: \"Edited again $(date +%s)\"/" "$ann"
b_cmd=$(seconds "$brief" deploy s3://brief/site --root "$site")
summary=$("$brief" deploy s3://brief/site --from "$out" --dry-run | tail -1)

printf '\n| deploy | brief deploy --from | aws s3 sync | ratio |\n|---|---|---|---|\n'
printf '| first (empty bucket) | %.2f s | %.2f s | %.2f |\n' "$b_first" "$a_first" "$(echo "$b_first / $a_first" | bc -l)"
printf '| one file changed | %.2f s | %.2f s | %.3f |\n' "$b_one" "$a_one" "$(echo "$b_one / $a_one" | bc -l)"
printf '\none file changed, as one command (`brief deploy`, publishing included): %.2f s\n' "$b_cmd"
echo "a dry run against the last published folder now: $summary"
