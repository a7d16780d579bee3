#!/usr/bin/env bash
# Checks that web/dist (committed, embedded in the binary) is exactly what the
# committed sources build to: copies web/ui and the schema into a temporary
# tree, runs `npm ci && npm run build` there and diffs the output against
# web/dist. Exits non-zero on any difference. Needs Node.js and the npm
# registry (or a warm npm cache).
#
#   web/check-dist.sh          check
#   web/check-dist.sh --keep   also keep the temporary tree for inspection
set -euo pipefail
web="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$web")"
tmp="$(mktemp -d)"
if [ "${1:-}" != --keep ]; then trap 'rm -rf "$tmp"' EXIT; fi

# The build reads web/ui and ../../schema.graphqls (the playground's bundled schema).
mkdir -p "$tmp/web"
cp "$root/schema.graphqls" "$tmp/"
tar -C "$web" --exclude=node_modules -cf - ui | tar -C "$tmp/web" -xf -

(cd "$tmp/web/ui" && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent) >&2

if diff -r "$web/dist" "$tmp/web/dist" >/dev/null; then
  echo "web/dist is up to date"
else
  echo "web/dist differs from a fresh build of web/ui: run (cd web/ui && npm ci && npm run build) and commit web/dist" >&2
  diff -rq "$web/dist" "$tmp/web/dist" >&2 || true
  exit 1
fi
