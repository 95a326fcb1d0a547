#!/usr/bin/env bash
# Refreshes docs/screenshots/: builds brief, runs the browser test of every page kind
# (tests/browser/pages.test.mjs, which saves a full-page screenshot of each page kind at 375 and
# 1280 px under target/browser/screenshots/) and copies those screenshots into docs/screenshots/,
# where docs/design.md shows them. Needs what scripts/test installs (Chromium, Node.js, npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then
  echo "node_modules is incomplete: run scripts/test once (or npm ci --ignore-scripts) first" >&2
  exit 1
fi

echo "==> Building brief (cargo build)"
cargo build --locked

echo "==> Every page kind in Chromium (node --test tests/browser/pages.test.mjs)"
BRIEF_BIN=target/debug/brief node --test tests/browser/pages.test.mjs

shopt -s nullglob
shots=(target/browser/screenshots/*.png)
if [ ${#shots[@]} -eq 0 ]; then
  echo "the test saved no screenshots under target/browser/screenshots/" >&2
  exit 1
fi
mkdir -p docs/screenshots
rm -f docs/screenshots/*.png
cp "${shots[@]}" docs/screenshots/
echo "==> Copied ${#shots[@]} screenshots into docs/screenshots/"
