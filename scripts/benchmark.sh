#!/usr/bin/env bash
# End-to-end benchmark against the real duplicity, in one sitting, on the same machine and data.
#
#   scripts/benchmark.sh [WORKDIR]        (default ./bench-work; needs ~3 GB free)
#
# Builds a ~600 MB corpus (tens of thousands of small files + 128 MiB files), then alternates
# duplicity and our console (Release build) for: full backup, full restore, an incremental after a
# day of changes (scripts/mutate-corpus.py) and the restore of that chain (gzip, no encryption).
# Reports wall times, the ratio duplicity/ours (> 1 means we are faster), our peak RSS and the
# archive sizes. ENCRYPT=1 does the same with passphrase-encrypted (OpenPGP) archives. ROUNDS (default 2) sets how many alternating rounds are timed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
W=${1:-$ROOT/bench-work}
ROUNDS=${ROUNDS:-2}
# ENCRYPT=1 benchmarks symmetric OpenPGP archives (PASSPHRASE is set for both tools) instead of gzip.
export PASSPHRASE=${PASSPHRASE:-benchmark-passphrase}
VOLSIZE=${VOLSIZE:-200}
mkdir -p "$W"
command -v duplicity >/dev/null || { echo "duplicity missing: run scripts/install-test-tools.sh"; exit 1; }

if [ ! -d "$W/corpus" ]; then
  echo "building corpus in $W/corpus ..."
  python3 scripts/make-corpus.py "$W/corpus" --small "${SMALL_FILES:-30000}" --large "${LARGE_FILES:-3}"
fi
CORPUS="$W/corpus"
echo "corpus: $(du -sb "$CORPUS" | cut -f1) bytes, $(find "$CORPUS" -type f | wc -l) files"

dotnet build Duplicity.Samples -c Release -v q -nologo >/dev/null
OURS=(dotnet "$ROOT/Duplicity.Samples/bin/Release/net10.0/duplicity-net.dll")
export TZ=UTC

# run NAME CMD...: runs CMD with page cache dropped (when allowed), records seconds and peak RSS (KB).
run() {
  local name=$1; shift
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  /usr/bin/time -f "%e %M" -o "$W/time.txt" "$@" > "$W/$name.log" 2>&1 || { echo "$name failed:"; tail -20 "$W/$name.log"; exit 1; }
  read -r secs rss < "$W/time.txt"
  echo "$name $secs $rss" >> "$W/results.txt"
  printf '  %-22s %8.2f s  peak RSS %7d KB\n' "$name" "$secs" "$rss"
}

: > "$W/results.txt"; : > "$W/incsize.txt"
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r"
  for who in dup ours; do
    rm -rf "$W/target-$who" "$W/cache-$who" "$W/restore-$who" "$W/src"
    cp -a "$CORPUS" "$W/src"            # same starting tree and path for both tools
    if [ $who = dup ]; then CMD=(duplicity); else CMD=("${OURS[@]}"); fi
    if [ "${ENCRYPT:-0}" = 1 ]; then COMMON=(--archive-dir "$W/cache-$who" --name bench); else COMMON=(--no-encryption --archive-dir "$W/cache-$who" --name bench); fi
    run "$who-full" "${CMD[@]}" full "${COMMON[@]}" --volsize "$VOLSIZE" --no-print-statistics "$W/src" "file://$W/target-$who"
    full_bytes=$(du -sb "$W/target-$who" | cut -f1)
    run "$who-restore" "${CMD[@]}" restore "${COMMON[@]}" "file://$W/target-$who" "$W/restore-$who"
    if [ $who = ours ]; then
      diff -r "$W/src" "$W/restore-ours" >/dev/null && echo "  our full restore is identical to the corpus" || { echo "our restore DIFFERS"; exit 1; }
    fi
    rm -rf "$W/restore-$who"
    python3 scripts/mutate-corpus.py "$W/src"
    sleep 1                             # incremental time must differ from the full's
    run "$who-incremental" "${CMD[@]}" incremental "${COMMON[@]}" --volsize "$VOLSIZE" --no-print-statistics "$W/src" "file://$W/target-$who"
    echo "$who $(( $(du -sb "$W/target-$who" | cut -f1) - full_bytes ))" >> "$W/incsize.txt"
    run "$who-restore-chain" "${CMD[@]}" restore "${COMMON[@]}" "file://$W/target-$who" "$W/restore-$who"
    if [ $who = ours ]; then
      diff -r "$W/src" "$W/restore-ours" >/dev/null && echo "  our chain restore is identical to the changed corpus" || { echo "our chain restore DIFFERS"; exit 1; }
    fi
    rm -rf "$W/restore-$who"
  done
done

best() { grep "^$1 " "$W/results.txt" | sort -k2 -n | head -1; }
summary() {
  local what=$1
  read -r _ d _ < <(best "dup-$what"); read -r _ o orss < <(best "ours-$what")
  printf '%-8s duplicity %7.2f s   ours %7.2f s   ratio %5.2fx   our peak RSS %d MB\n' \
    "$what" "$d" "$o" "$(awk -v a="$d" -v b="$o" "BEGIN{print a/b}")" "$((orss / 1024))"
}
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "best of $ROUNDS rounds (ratio = duplicity time / our time):"
summary full
summary restore
summary incremental
summary restore-chain
ds=$(du -sb "$W/target-dup" | cut -f1); os=$(du -sb "$W/target-ours" | cut -f1)
printf 'archive size (full + incremental): duplicity %d bytes, ours %d bytes (%+.2f%%)\n' "$ds" "$os" "$(awk -v a="$os" -v b="$ds" "BEGIN{print (a-b)*100/b}")"
di=$(grep '^dup ' "$W/incsize.txt" | tail -1 | cut -d' ' -f2); oi=$(grep '^ours ' "$W/incsize.txt" | tail -1 | cut -d' ' -f2)
printf 'incremental size: duplicity %d bytes, ours %d bytes (%+.2f%%)\n' "$di" "$oi" "$(awk -v a="$oi" -v b="$di" "BEGIN{print (a-b)*100/b}")"
