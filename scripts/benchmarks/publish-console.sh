#!/usr/bin/env bash
# Publishes the console as the benchmarks run it: Release, ReadyToRun (precompiled, so start-up is not
# spent in the JIT), framework-dependent, into DIR (a private copy: rebuilding the tree during a long
# run does not change what is measured). READY_TO_RUN=0 copies the plain build instead.
#   scripts/benchmarks/publish-console.sh DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$1
rm -rf "$out"
if [ "${READY_TO_RUN:-1}" = 1 ]; then
  rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)
  dotnet publish Duplicity.Samples/Duplicity.Samples.csproj -c Release -r "$rid" --self-contained false \
    -p:PublishReadyToRun=true -o "$out" -v q -nologo >/dev/null
else
  dotnet build Duplicity.Samples -c Release -v q -nologo >/dev/null
  cp -a Duplicity.Samples/bin/Release/net10.0 "$out"
fi
