#!/usr/bin/env bash
# librsync's rdiff against our rsync engine, doing the same work on both sides: file to file, one
# process per command, the same inputs, the same block length (2048) and strong-sum length (8, MD4):
#   signature    read OLD, write its signature file
#   delta        read the signature file and build its index, read NEW, write the delta file
#                (NEW = OLD unchanged, OLD with 1 MiB overwritten in the middle, or rewritten)
#   patch        read the delta and OLD, write the new file (compared with NEW)
# Both sides run as command lines timed by /usr/bin/time (wall, user + system CPU, peak RSS), in
# alternating rounds; the median is reported. The inputs sit in the page cache (warm) for both.
# Our command lines include .NET start-up and JIT; the "start-up alone" row measures that cost so it
# can be told apart. Our outputs are checked: signatures and deltas byte for byte against rdiff's
# (the engine promises rdiff's exact bytes), patches against NEW.
# Then (unless --no-dotnet) the BenchmarkDotNet suite runs the same file-to-file work in-process,
# after warm-up (steady state, no start-up).
#
# Usage: scripts/benchmarks/rsync-vs-rdiff.sh [size-MiB=128] [--no-dotnet]     ROUNDS=3
set -euo pipefail
size_mib=${1:-128}
ROUNDS=${ROUNDS:-3}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v rdiff >/dev/null || { echo "rdiff missing: run scripts/install-test-tools.sh"; exit 1; }

mkdir -p "$root/artifacts/packages"   # nuget.config names this local source
dotnet build -c Release -v q -nologo "$here/Duplicity.Benchmarks" >/dev/null
ours=(dotnet "$here/Duplicity.Benchmarks/bin/Release/net10.0/Duplicity.Benchmarks.dll" rdiff)

head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$work/old"
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$work/rewritten"
cp "$work/old" "$work/edited"
dd if=/dev/urandom of="$work/edited" bs=1M count=1 seek=$((size_mib / 2)) conv=notrunc status=none
cp "$work/old" "$work/unchanged"

# timed SIDE LABEL CMD...: one run; appends "side<TAB>label<TAB>wall<TAB>cpu<TAB>rss-KB" to results.
timed() {
  local side=$1 label=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" > "$work/log" 2>&1 || { echo "$side $label failed:"; cat "$work/log"; exit 1; }
  read -r wall user sys rss < "$work/time"
  printf '%s\t%s\t%s\t%s\t%s\n' "$side" "$label" "$wall" "$(echo "$user + $sys" | bc)" "$rss" >> "$work/results"
}
same() { cmp -s "$1" "$2" || { echo "CHECK FAILED: $3"; failed=1; }; }
failed=0
: > "$work/results"
for r in $(seq 1 "$ROUNDS"); do
  for side in rdiff ours; do
    if [ $side = rdiff ]; then cmd=(rdiff -f -H md4 -R rollsum -S 8 -b 2048); else cmd=("${ours[@]}"); fi
    s=$work/$side
    timed $side "start-up alone" "${cmd[@]}" $([ $side = rdiff ] && echo --version || echo noop)
    timed $side "signature" "${cmd[@]}" signature "$work/old" "$s.sig"
    for v in unchanged edited rewritten; do
      timed $side "delta, $v" "${cmd[@]}" delta "$s.sig" "$work/$v" "$s.$v.delta"
      timed $side "patch, $v" "${cmd[@]}" patch "$work/old" "$s.$v.delta" "$s.$v.out"
      [ $side = ours ] && { same "$work/rdiff.$v.delta" "$s.$v.delta" "our $v delta is not rdiff's"; same "$work/$v" "$s.$v.out" "our patched $v file differs"; }
      rm -f "$s.$v.out"
    done
    [ $side = ours ] && same "$work/rdiff.sig" "$s.sig" "our signature is not rdiff's"
  done
done

echo "rdiff ($(rdiff --version 2>&1 | head -1)) vs ours (.NET $(dotnet --version)), $size_mib MiB random inputs, block 2048, median of $ROUNDS rounds, warm page cache"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - "$work/results" "$size_mib" <<'PY'
import statistics, sys
rows, mib = {}, int(sys.argv[2])
for line in open(sys.argv[1]):
    side, label, wall, cpu, rss = line.rstrip("\n").split("\t")
    rows.setdefault((label, side), []).append((float(wall), float(cpu), int(rss)))
labels = list(dict.fromkeys(l for l, _ in rows))
print(f"{'':28} {'rdiff wall':>10} {'ours wall':>10} {'rdiff CPU':>10} {'ours CPU':>10} {'rdiff RSS':>10} {'ours RSS':>10} {'rdiff/ours':>10}")
for l in labels:
    r, o = rows[(l, "rdiff")], rows[(l, "ours")]
    m = lambda xs, i: statistics.median(x[i] for x in xs)
    ratio = m(r, 0) / m(o, 0) if m(o, 0) > 0 else float("nan")
    print(f"{l:28} {m(r,0):9.2f}s {m(o,0):9.2f}s {m(r,1):9.2f}s {m(o,1):9.2f}s {m(r,2)/1024:7.1f} MB {m(o,2)/1024:7.1f} MB {ratio:10.2f}")
print("(rdiff/ours: ratio of median wall times, > 1: ours is faster; every row includes its side's start-up row)")
PY
[ "$failed" = 0 ] && echo "checks: our signature and deltas are rdiff's bytes, our patches rebuild the inputs" || { echo "some checks FAILED (above)"; exit 1; }

if [[ "${2:-}" != "--no-dotnet" ]]; then
  cd "$root"
  DUPLICITY_BENCH_MIB=$size_mib dotnet run -c Release --project scripts/benchmarks/Duplicity.Benchmarks -- --filter '*' --artifacts "${TMPDIR:-/tmp}/duplicity-benchmarks"
fi
