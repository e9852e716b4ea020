#!/usr/bin/env bash
# Scale benchmark: memory and time of our console on many small files and on one huge file.
#
#   scripts/benchmark-scale.sh [WORKDIR]      (default ./bench-scale; needs FILES x ~4 KB + 3 x BIG_GIB GiB free)
#
#   FILES=1000000   small files (1,000 per folder) for full, incremental (1 % touched), list, verify, restore
#   BIG_GIB=6       size of the huge file (incompressible data) for full, incremental after a 1 MiB
#                   overwrite in its middle, restore (compared bit for bit); 0 skips it
#   DUPLICITY=1     also let the real duplicity restore our huge full backup and compare it
#   GC_DEFAULT=0    skip the pass with the console's own GC settings
#   GEN0=16         run our console with a 16 MiB gen0 budget (DOTNET_GCgen0size) besides the default, to
#                   show live memory apart from what the GC lets gen0 grow to on this machine
#
# Prints, per operation, wall time, CPU time (user + system) and peak RSS, and checks every restore.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
W=${1:-$ROOT/bench-scale}
FILES=${FILES:-1000000}
BIG_GIB=${BIG_GIB:-6}
mkdir -p "$W"
W=$(cd "$W" && pwd)

# A private copy, Native AOT by default (KIND=r2r or jit: scripts/benchmarks/publish-console.sh),
# so that rebuilding the tree during a long run does not change what is measured.
bash scripts/benchmarks/publish-console.sh "$W/console"
OURS=("$W/console/duplicity-net")
export TZ=UTC
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# run NAME CMD...: records wall seconds, CPU seconds and peak RSS of CMD.
run() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$W/time.txt" "$@" > "$W/$name.log" 2>&1 || { echo "$name failed:"; tail -20 "$W/$name.log"; exit 1; }
  read -r wall user sys rss < "$W/time.txt"
  printf '  %-28s %8.2f s wall %8.2f s CPU %7.1f MB peak RSS\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" "$(echo "scale=1; $rss / 1024" | bc)"
}

COMMON=(--no-encryption --no-print-statistics)

many_files() {
  local label=$1; shift
  local env=("$@")
  rm -rf "$W/target" "$W/cache" "$W/restore"
  echo "$FILES small files ($label):"
  run "full" env "${env[@]}" "${OURS[@]}" full "${COMMON[@]}" --archive-dir "$W/cache" --name s "$W/small" "file://$W/target"
  python3 - "$W/small" "$FILES" <<'PY'
import os, sys, time
root, n = sys.argv[1], int(sys.argv[2])
base = int(time.time()) - 86400     # a new mtime on every pass: changes are seen by mtime seconds
for i in range(0, n, 100):          # 1 % of the files change
    p = f"{root}/d{i // 1000:05d}/f{i:07d}"
    with open(p, "a") as f: f.write("changed\n")
    os.utime(p, (base + i, base + i))
PY
  run "incremental (1 % changed)" env "${env[@]}" "${OURS[@]}" incremental "${COMMON[@]}" --archive-dir "$W/cache" --name s "$W/small" "file://$W/target"
  run "list-current-files" env "${env[@]}" "${OURS[@]}" list-current-files --no-encryption --archive-dir "$W/cache" --name s "file://$W/target"
  run "verify --compare-data" env "${env[@]}" "${OURS[@]}" verify --no-encryption --compare-data --archive-dir "$W/cache" --name s "file://$W/target" "$W/small"
  run "restore" env "${env[@]}" "${OURS[@]}" restore --no-encryption --archive-dir "$W/cache" --name s "file://$W/target" "$W/restore"
  diff -r "$W/small" "$W/restore" > /dev/null && echo "  restore identical" || { echo "  restore DIFFERS"; exit 1; }
}

if [ "$FILES" -gt 0 ]; then
  if [ ! -f "$W/small.done-$FILES" ]; then
    rm -rf "$W/small"
    python3 - "$W/small" "$FILES" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = f"{root}/d{i // 1000:05d}"
    if i % 1000 == 0: os.makedirs(d, exist_ok=True)
    with open(f"{d}/f{i:07d}", "w") as f: f.write(f"small file {i}\n" * (1 + i % 7))
PY
    touch "$W/small.done-$FILES"
  fi
  [ "${GC_DEFAULT:-1}" = 1 ] && many_files "the console's own settings: young-generation budget held near 24 MiB"
  if [ -n "${GEN0:-}" ]; then
    # A second pass over the (now changed) tree, from a new full backup.
    many_files "gen0 budget ${GEN0} MiB" DOTNET_GCgen0size=$(printf '0x%x' $((GEN0 * 1024 * 1024)))
  fi
fi

if [ "$BIG_GIB" -gt 0 ]; then
  echo "one ${BIG_GIB} GiB file:"
  rm -rf "$W/big" "$W/btarget" "$W/bcache" "$W/brestore" "$W/bdup"
  mkdir -p "$W/big"
  # Incompressible and reproducible: AES-CTR keystream.
  # (openssl ends on SIGPIPE when head has enough: not a failure)
  { openssl enc -aes-128-ctr -pass pass:scale -nosalt -pbkdf2 < /dev/zero 2>/dev/null || true; } | head -c $((BIG_GIB * 1024 * 1024 * 1024)) > "$W/big/huge.bin"
  [ "$(stat -c %s "$W/big/huge.bin")" = $((BIG_GIB * 1024 * 1024 * 1024)) ] || { echo "could not make the huge file"; exit 1; }
  run "full" "${OURS[@]}" full "${COMMON[@]}" --archive-dir "$W/bcache" --name b "$W/big" "file://$W/btarget"
  full_bytes=$(du -sb "$W/btarget" | cut -f1)
  if [ "${DUPLICITY:-0}" = 1 ] && command -v duplicity >/dev/null; then
    run "duplicity restores our full" duplicity restore --no-encryption --archive-dir "$W/dupcache" --name b "file://$W/btarget" "$W/bdup"
    cmp "$W/big/huge.bin" "$W/bdup/huge.bin" && echo "  duplicity's restore identical" || { echo "  duplicity's restore DIFFERS"; exit 1; }
    rm -rf "$W/bdup"
  fi
  dd if=/dev/urandom of="$W/big/huge.bin" bs=1M count=1 seek=$((BIG_GIB * 512)) conv=notrunc status=none
  touch -d '2030-01-01' "$W/big/huge.bin"
  run "incremental (1 MiB overwritten)" "${OURS[@]}" incremental "${COMMON[@]}" --archive-dir "$W/bcache" --name b "$W/big" "file://$W/btarget"
  inc_bytes=$(( $(du -sb "$W/btarget" | cut -f1) - full_bytes ))
  echo "  incremental stored $((inc_bytes / 1024 / 1024)) MiB (signature + delta)"
  run "restore (chain)" "${OURS[@]}" restore --no-encryption --archive-dir "$W/bcache" --name b "file://$W/btarget" "$W/brestore"
  cmp "$W/big/huge.bin" "$W/brestore/huge.bin" && echo "  restore identical" || { echo "  restore DIFFERS"; exit 1; }
  rm -rf "$W/brestore"
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
