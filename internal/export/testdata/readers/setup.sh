#!/usr/bin/env bash
# Creates the Python virtual environment the export test reads exports with,
# at the folder given, from requirements.txt (exact versions and hashes):
#
#   bash internal/export/testdata/readers/setup.sh DIR
#
# A ready environment (one holding a copy of the same requirements.txt) is
# kept. It is built beside DIR and moved into place when complete, so that a
# run stopped half-way or two runs at once never leave a broken one. Needs
# python3 (3.10 or newer, for networkx 3.4) with its venv module, and PyPI.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${1:?usage: setup.sh DIR}"

if cmp -s "$here/requirements.txt" "$venv/requirements.txt" 2>/dev/null && [ -x "$venv/bin/python" ]; then
  exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "setup.sh: python3 is not installed (Python 3.10 or newer is needed to read the exports with networkx; Debian: apt-get install python3 python3-venv)" >&2
  exit 1
fi
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
  echo "setup.sh: $(python3 --version 2>&1) is too old: networkx 3.4 needs Python 3.10 or newer" >&2
  exit 1
fi

mkdir -p "$(dirname "$venv")"
tmp="$(mktemp -d "$venv.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "setup.sh: creating a virtual environment for the export readers in $venv" >&2
if ! python3 -m venv "$tmp" >&2; then
  echo "setup.sh: python3 -m venv failed: the venv module (and ensurepip) is needed (Debian: apt-get install python3-venv)" >&2
  exit 1
fi
"$tmp/bin/python" -m pip install --no-input --disable-pip-version-check --no-cache-dir --require-hashes \
  -r "$here/requirements.txt" >&2
cp "$here/requirements.txt" "$tmp/requirements.txt"
# Replace a stale environment; when another run has just put a ready one in
# place, keep that one.
if ! cmp -s "$here/requirements.txt" "$venv/requirements.txt" 2>/dev/null; then
  rm -rf "$venv"
  mv -T "$tmp" "$venv" 2>/dev/null || cmp -s "$here/requirements.txt" "$venv/requirements.txt"
fi
