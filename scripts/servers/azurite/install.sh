#!/usr/bin/env bash
# Installs the pinned azurite (package-lock.json) with `npm ci` into a cache folder keyed by the lock
# file's hash, so the repository holds no node_modules and a changed pin gets a fresh install.
# Prints the folder (AZURITE_HOME) on stdout. env: AZURITE_HOME overrides the folder.
# Exit 3 when node or npm is missing.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
command -v node >/dev/null || { echo "node is not installed (scripts/install-servers.sh installs it)" >&2; exit 3; }
command -v npm >/dev/null || { echo "npm is not installed (scripts/install-servers.sh installs it)" >&2; exit 3; }
HASH=$(cat "$HERE/package.json" "$HERE/package-lock.json" | sha256sum | cut -c1-12)
AZURITE_HOME=${AZURITE_HOME:-${TMPDIR:-/tmp}/dup-test-azurite-$HASH}
BIN="$AZURITE_HOME/node_modules/.bin/azurite-blob"
if [ ! -f "$BIN" ]; then
  # Install into a sibling folder and rename it into place: concurrent test runs never see half a tree.
  STAGE=$(mktemp -d "${AZURITE_HOME}.XXXXXX")
  cp "$HERE/package.json" "$HERE/package-lock.json" "$STAGE/"
  (cd "$STAGE" && npm ci --no-audit --no-fund --loglevel=error >&2)
  mv -T "$STAGE" "$AZURITE_HOME" 2>/dev/null || rm -rf "$STAGE"   # another run won the race
fi
[ -f "$BIN" ] || { echo "azurite install failed: $BIN missing" >&2; exit 1; }
echo "$AZURITE_HOME"
