#!/usr/bin/env bash
# Installs the pinned s3rver (package-lock.json) with `npm ci` into a cache folder keyed by the lock
# file's hash, so the repository holds no node_modules and a changed pin gets a fresh install.
# Prints the folder (S3RVER_HOME) on stdout. env: S3RVER_HOME overrides the folder.
# Exit 3 when node or npm is missing.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
command -v node >/dev/null || { echo "node is not installed (scripts/install-servers.sh installs it)" >&2; exit 3; }
command -v npm >/dev/null || { echo "npm is not installed (scripts/install-servers.sh installs it)" >&2; exit 3; }
HASH=$(cat "$HERE/package.json" "$HERE/package-lock.json" | sha256sum | cut -c1-12)
S3RVER_HOME=${S3RVER_HOME:-${TMPDIR:-/tmp}/dup-test-s3rver-$HASH}
BIN="$S3RVER_HOME/node_modules/s3rver/bin/s3rver.js"
if [ ! -f "$BIN" ]; then
  # Install into a sibling folder and rename it into place: concurrent test runs never see half a tree.
  STAGE=$(mktemp -d "${S3RVER_HOME}.XXXXXX")
  cp "$HERE/package.json" "$HERE/package-lock.json" "$STAGE/"
  (cd "$STAGE" && npm ci --no-audit --no-fund --loglevel=error >&2)
  mv -T "$STAGE" "$S3RVER_HOME" 2>/dev/null || rm -rf "$STAGE"   # another run won the race
fi
[ -f "$BIN" ] || { echo "s3rver install failed: $BIN missing" >&2; exit 1; }
echo "$S3RVER_HOME"
