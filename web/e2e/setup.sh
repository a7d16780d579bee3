#!/usr/bin/env bash
# Installs what the browser tests need, when it is missing:
#   - the npm packages of package.json (playwright-core; cytoscape, graphology
#     and graphology-gexf, which read the exports) in web/e2e/node_modules
#     (npm ci, from package-lock.json), when one is missing or another version
#   - Chromium at /usr/bin/chromium (Debian's package, via apt-get; needs root)
# Node.js itself must be installed. Browsers are never downloaded by
# Playwright: the tests drive the system Chromium.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v node >/dev/null 2>&1; then
  echo "setup.sh: node is not installed (Node.js 20 or newer is needed for the browser tests)" >&2
  exit 1
fi

# The dependencies of package.json not installed at their pinned version.
stale="$(node -e '
  const fs = require("fs");
  const deps = JSON.parse(fs.readFileSync("package.json", "utf8")).dependencies;
  const have = (n) => { try { return JSON.parse(fs.readFileSync(`node_modules/${n}/package.json`, "utf8")).version; } catch { return null; } };
  console.log(Object.entries(deps).filter(([n, v]) => have(n) !== v).map(([n, v]) => `${n}@${v}`).join(" "));
')"
if [ -n "$stale" ]; then
  echo "setup.sh: installing $stale (npm ci)" >&2
  npm ci --no-audit --no-fund >&2
fi

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup.sh: $CHROMIUM is missing; install Debian's chromium package (apt-get install chromium) or set CHROMIUM" >&2
    exit 1
  fi
  echo "setup.sh: installing chromium (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends chromium >&2
fi
