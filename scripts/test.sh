#!/usr/bin/env bash
# The README's test command: builds the solution and runs every test (unit, format, interop with the
# real duplicity/rdiff/gpg, backends on real servers, hostile input and faults). Tests needing a
# missing tool are ignored with a reason, unless DUPLICITY_REQUIRE_SERVERS=1 (set by CI), which
# makes them fail.
#   --fast   only the Unit tier: tests that need nothing but the .NET SDK (no reference tools,
#            servers or root), for the edit-build-test loop
# Other arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Restore").
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
for a in "$@"; do
  case "$a" in
    --fast) args+=(--filter "TestCategory=Unit&TestCategory!=Interop&TestCategory!=Server&TestCategory!=Fault") ;;
    *) args+=("$a") ;;
  esac
done
summary=Duplicity.Tests/bin/Release/net10.0/fault-summary.txt
rm -f "$summary"
status=0
dotnet test Duplicity.sln -c Release "${args[@]}" || status=$?
# The fault tests' one line of injected faults (when they ran).
[ -f "$summary" ] && cat "$summary"
exit "$status"
