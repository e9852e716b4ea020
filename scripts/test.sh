#!/usr/bin/env bash
# The README's test command: builds the solution and runs every test (unit, format, interop with the
# real duplicity/rdiff/gpg). Tests needing a missing tool are ignored with a reason, unless
# DUPLICITY_REQUIRE_SERVERS=1 (set by CI), which makes them fail.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test Duplicity.sln -c Release "$@"
