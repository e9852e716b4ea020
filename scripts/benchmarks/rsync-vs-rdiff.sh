#!/usr/bin/env bash
# Times librsync's rdiff (signature, delta on an unchanged file, delta on a rewritten file) on the
# same kind of inputs as Duplicity.Benchmarks, then runs the BenchmarkDotNet suite for our engine.
# Usage: scripts/benchmarks/rsync-vs-rdiff.sh [size-MiB=128] [--no-dotnet]
set -euo pipefail
size_mib=${1:-128}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$work/old"
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$work/new"

rate() { # label seconds
  awk -v l="$1" -v s="$2" -v m="$size_mib" 'BEGIN { printf "rdiff %-40s %8.3f s  %8.1f MB/s\n", l, s, m * 1.048576 / s }'
}
timed() { # label command...
  local label=$1; shift
  local start end
  start=$(date +%s.%N); "$@"; end=$(date +%s.%N)
  rate "$label" "$(echo "$end - $start" | bc)"
}

timed "signature (md4, rollsum, -S 8, -b 2048)" rdiff -f -H md4 -R rollsum -S 8 -b 2048 signature "$work/old" "$work/old.sig"
timed "delta, unchanged file (matching path)" rdiff -f delta "$work/old.sig" "$work/old" "$work/same.delta"
timed "delta, rewritten file (no-match path)" rdiff -f delta "$work/old.sig" "$work/new" "$work/new.delta"

if [[ "${2:-}" != "--no-dotnet" ]]; then
  mkdir -p "$root/artifacts/packages"   # nuget.config names this local source
  cd "$root"
  dotnet run -c Release --project scripts/benchmarks/Duplicity.Benchmarks -- --filter '*' --artifacts "${TMPDIR:-/tmp}/duplicity-benchmarks"
fi
