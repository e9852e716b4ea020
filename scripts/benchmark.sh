#!/usr/bin/env bash
# End-to-end benchmark: duplicity 0.8.22, our console, and (when installed) restic and borg, in one
# sitting, on the same machine and the same data, in alternating rounds.
#
#   scripts/benchmark.sh [WORKDIR]      (default ./bench-work; needs ~3 GB free with the default corpus,
#                                        plus ~1 GB for the 100,000-file corpus)
#
# Operations, for every tool, in every round and mode:
#   full             full backup of the corpus (scripts/make-corpus.py: small files in a nested tree,
#                    large incompressible files, symlinks, empty entries, special modes)
#   restore-full     whole restore of that full backup (checked against the tree)
#   incremental      backup after a day of changes (scripts/mutate-corpus.py); restic and borg have no
#                    full/incremental distinction: their second backup is this row
#   restore-chain    whole restore of the latest backup (full + incremental; checked)
#   restore-one      one small file deep in the tree from the latest backup (checked)
#   list             list the latest backup's files (checked: the listing names that file)
#   full-small       a separate full backup of SMALL_ONLY small files (no restore)
#
# Settings (environment):
#   ROUNDS=3             alternating rounds; the report gives the median and the min–max of each
#   MODE=both            plain | encrypted | both (ENCRYPT=1 is MODE=encrypted)
#   TOOLS="duplicity ours restic borg-lz4 borg-zlib"   a missing tool is skipped with a note
#   SMALL_FILES=30000 LARGE_FILES=3 LARGE_MIB=128      the main corpus
#   SMALL_ONLY=100000    files in the separate small-file corpus; 0 skips it
#   VOLSIZE=200          duplicity/ours volume size (MB)
#   DROP_CACHES=1        drop the page cache before each timed run (needs root); 0 runs warm on purpose
#   TRASH_PAUSE=361      seconds to wait after emptying a trash an interrupted run left (below)
#   PASSPHRASE           passphrase of the encrypted mode (all tools)
#
# Every run is measured with /usr/bin/time (wall, user + system CPU, peak RSS of the largest process).
# Every restore is compared with the source tree (scripts/benchmarks/compare-trees.py: contents, modes,
# mtimes, symlink targets, owners when root); a failed check or a failed command marks its row.
# Prints the machine, the tool versions and settings, and a table (operation × tool: median wall,
# CPU, peak RSS, stored bytes, check, ratios), also written as markdown to WORKDIR/report.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
W=${1:-$ROOT/bench-work}
ROUNDS=${ROUNDS:-3}
# ENCRYPT=1 (the previous script's switch) still means the encrypted mode alone
[ "${ENCRYPT:-0}" = 1 ] && MODE=${MODE:-encrypted}
MODE=${MODE:-both}
TOOLS=${TOOLS:-duplicity ours restic borg-lz4 borg-zlib}
SMALL_FILES=${SMALL_FILES:-30000}
LARGE_FILES=${LARGE_FILES:-3}
LARGE_MIB=${LARGE_MIB:-128}
SMALL_ONLY=${SMALL_ONLY:-100000}
VOLSIZE=${VOLSIZE:-200}
DROP_CACHES=${DROP_CACHES:-1}
export PASSPHRASE=${PASSPHRASE:-benchmark-passphrase}
export TZ=UTC
PY=/usr/bin/python3
case $MODE in plain) MODES=(plain) ;; encrypted) MODES=(encrypted) ;; both) MODES=(plain encrypted) ;;
  *) echo "MODE must be plain, encrypted or both"; exit 2 ;; esac
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: run scripts/install-benchmark-tools.sh"; exit 1; }
mkdir -p "$W"
W=$(cd "$W" && pwd)
mkdir -p "$W/logs"
: > "$W/results.tsv"
: > "$W/header.txt"
note() { echo "$*" | tee -a "$W/header.txt"; }

# --- tools -------------------------------------------------------------------------------------
tools=()
for t in $TOOLS; do
  case $t in
    duplicity) command -v duplicity >/dev/null && tools+=(duplicity) || note "duplicity: not installed (scripts/install-test-tools.sh), skipped" ;;
    ours) tools+=(ours) ;;
    restic) command -v restic >/dev/null && tools+=(restic) || note "restic: not installed (scripts/install-benchmark-tools.sh), skipped" ;;
    borg-lz4|borg-zlib) command -v borg >/dev/null && tools+=("$t") || note "$t: borg not installed (scripts/install-benchmark-tools.sh), skipped" ;;
    *) echo "unknown tool $t"; exit 2 ;;
  esac
done
if [[ " ${tools[*]} " == *" ours "* ]]; then
  # A private copy, Native AOT by default (KIND=r2r or jit: scripts/benchmarks/publish-console.sh),
  # so that rebuilding the tree during a long run does not change what is measured.
  bash scripts/benchmarks/publish-console.sh "$W/console"
fi
OURS=("$W/console/duplicity-net")
# gpg (duplicity's encryption) and borg keep their state here, not in the user's home.
export GNUPGHOME=$W/gnupg
mkdir -p "$GNUPGHOME" && chmod 700 "$GNUPGHOME"
export BORG_BASE_DIR=$W/borg-base BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes BORG_RELOCATED_REPO_ACCESS_IS_OK=yes
export RESTIC_PASSWORD=$PASSPHRASE BORG_PASSPHRASE=$PASSPHRASE

# --- trash -------------------------------------------------------------------------------------
# Trees a run made (restores, the copied data, repositories) are moved aside and deleted only when the
# benchmark is over. ext4 without a journal (seen on the benchmark machines) will not reuse an inode
# freed in the last minute, or the last six when its inode-table block is dirty, as it is during a mass
# restore, and it steps over each such inode in turn: a restore of 30,000 files made after deleting
# another spent 2-12 s more in the kernel, whatever the tool. Needs room for every tree of the run:
# about 2 GB per tool, mode and round with the default corpus. A trash an interrupted run left is
# emptied first, then the script waits TRASH_PAUSE seconds.
TRASH_PAUSE=${TRASH_PAUSE:-361}
discard() {
  local p
  mkdir -p "$W/trash"
  for p in "$@"; do
    [ -e "$p" ] && mv "$p" "$W/trash/$(date +%s%N)-$(basename "$p")"
  done
  return 0
}
empty_trash() {
  [ -d "$W/trash" ] || return 0
  rm -rf "$W/trash"
  sync
  [ "$TRASH_PAUSE" -gt 0 ] && sleep "$TRASH_PAUSE"
  return 0
}

# --- page cache --------------------------------------------------------------------------------
if [ "$DROP_CACHES" = 1 ] && sync && (echo 3 > /proc/sys/vm/drop_caches) 2>/dev/null; then
  CACHE_NOTE="page cache dropped before every timed run (cold cache)"
  drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }
else
  if [ "$DROP_CACHES" = 1 ]; then
    CACHE_NOTE="WARNING: could not drop the page cache (needs root and a writable /proc/sys/vm/drop_caches): every run is WARM-CACHE"
  else
    CACHE_NOTE="WARNING: DROP_CACHES=0: the page cache was not dropped: every run is WARM-CACHE"
  fi
  drop() { sync; }
fi
note "$CACHE_NOTE"

# --- machine and versions ----------------------------------------------------------------------
ours_commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
ours_dirty=$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -q . && echo " + uncommitted changes" || true)
note "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.1f GiB RAM", $2/1048576}' /proc/meminfo), $(df -h --output=avail "$W" | tail -1 | tr -d ' ') free in $W, kernel $(uname -r)"
note "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
note "date: $(date -u '+%Y-%m-%d %H:%M UTC'), rounds: $ROUNDS, modes: ${MODES[*]}"
for t in "${tools[@]}"; do
  case $t in
    duplicity) note "duplicity: $(duplicity --version 2>&1 | head -1), $(gpg --version | head -1); volsize $VOLSIZE MB; plain: --no-encryption (gzip volumes); encrypted: symmetric OpenPGP with PASSPHRASE" ;;
    ours) note "ours: Duplicity.Samples console, Release publish: $(cat "$W/console/publish-kind.txt") of commit $ours_commit$ours_dirty on .NET $(dotnet --version); same options as duplicity" ;;
    restic) note "restic: $(restic version | head -1); local repo, repository format 2, compression auto (zstd); restic always encrypts (AES-256-CTR + Poly1305), so its plain rows are encrypted too" ;;
    borg-lz4) note "borg-lz4: $(borg --version); --compression lz4; plain: --encryption none; encrypted: --encryption repokey (AES-256-CTR + HMAC-SHA256)" ;;
    borg-zlib) note "borg-zlib: $(borg --version); --compression zlib,6 (as duplicity's gzip); plain: --encryption none; encrypted: --encryption repokey" ;;
  esac
done
note "CPU (user + system) includes the child processes a tool waits for (duplicity's gpg); peak RSS is that of the largest single process, not a sum (/usr/bin/time)"

# --- corpora -----------------------------------------------------------------------------------
corpus_id="s$SMALL_FILES-l$LARGE_FILES-m$LARGE_MIB"
if [ ! -f "$W/corpus.done-$corpus_id" ]; then
  echo "building corpus in $W/corpus ..."
  rm -rf "$W/corpus" "$W"/corpus.done-*
  $PY scripts/make-corpus.py "$W/corpus" --small "$SMALL_FILES" --large "$LARGE_FILES" --large-mib "$LARGE_MIB"
  touch "$W/corpus.done-$corpus_id"
fi
note "corpus: $(du -sb "$W/corpus" | cut -f1) bytes, $(find "$W/corpus" -type f | wc -l) files, $(find "$W/corpus" -type l | wc -l) symlinks ($SMALL_FILES small, $LARGE_FILES × $LARGE_MIB MiB)"
if [ "$SMALL_ONLY" -gt 0 ]; then
  if [ ! -f "$W/small.done-$SMALL_ONLY" ]; then
    echo "building the $SMALL_ONLY-file corpus in $W/small ..."
    rm -rf "$W/small" "$W"/small.done-*
    $PY scripts/make-corpus.py "$W/small" --small "$SMALL_ONLY" --large 0 --no-extras --seed 3
    touch "$W/small.done-$SMALL_ONLY"
  fi
  note "small-file corpus: $(du -sb "$W/small" | cut -f1) bytes, $SMALL_ONLY files"
fi

# --- one timed run -----------------------------------------------------------------------------
# timed LOG CMD...: runs CMD in $W with a cold cache; sets T_WALL T_CPU T_RSS (KB) and T_RC.
timed() {
  local log=$1; shift
  drop
  T_RC=0
  (cd "$W" && /usr/bin/time -f "%e %U %S %M" -o "$W/time.txt" "$@") > "$log" 2>&1 || T_RC=$?
  local user sys
  read -r T_WALL user sys T_RSS < <(grep -E '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$' "$W/time.txt" | tail -1)
  T_CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
}
# record MODE OP TOOL ROUND STATUS [STORED]: appends a row of the last timed run.
record() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$T_WALL" "$T_CPU" "$T_RSS" "$5" "${6:--}" >> "$W/results.tsv"
  printf '  %-9s %-14s %-10s %8.2f s wall %8.2f s CPU %8.1f MB  %s\n' "$1" "$2" "$3" "$T_WALL" "$T_CPU" "$(awk -v k="$T_RSS" 'BEGIN { print k / 1024 }')" "$5"
}
# step MODE OP TOOL ROUND CHECK-COMMAND -- CMD...: times CMD, then runs the check (a shell snippet)
# when CMD succeeded; records ok, CHECK FAILED or ERROR (exit code).
step() {
  local mode=$1 op=$2 tool=$3 round=$4 check=$5; shift 6
  local log="$W/logs/$mode-$op-$tool-r$round.log" status=ok
  timed "$log" "$@"
  if [ "$T_RC" != 0 ]; then
    status="ERROR(exit $T_RC)"; echo "    $tool $op failed, last lines of $log:"; tail -5 "$log" | sed 's/^/      /'
  elif [ -n "$check" ] && ! (eval "$check") > "$log.check" 2>&1; then
    status="CHECK FAILED"; echo "    $tool $op: check failed:"; head -12 "$log.check" | sed 's/^/      /'
  fi
  record "$mode" "$op" "$tool" "$round" "$status" "${STORED:--}"
  STORED=-
}
STORED=-
# bytes under a folder (0 when a failed run left none)
bytes() { { du -sb "$1" 2>/dev/null || echo 0; } | cut -f1 | head -1; }

# --- command lines of each tool ----------------------------------------------------------------
# cmd TOOL MODE OP [ARG]: sets CMD. Data is backed up as the relative path "data" from $W (restic
# and borg keep the path given; duplicity and ours keep paths relative to the source folder).
cmd() {
  local tool=$1 mode=$2 op=$3 arg=${4:-} repo="$W/target-$1" cache="$W/cache-$1"
  local enc=(--no-encryption)
  [ "$mode" = encrypted ] && enc=()
  case $tool in
    duplicity|ours)
      local exe=(duplicity); [ "$tool" = ours ] && exe=("${OURS[@]}")
      local common=("${enc[@]}" --archive-dir "$cache" --name bench)
      case $op in
        init) CMD=(true) ;;
        full|incremental) CMD=("${exe[@]}" "$op" "${common[@]}" --volsize "$VOLSIZE" --no-print-statistics "$W/$arg" "file://$repo") ;;
        restore-full|restore-chain) CMD=("${exe[@]}" restore "${common[@]}" "file://$repo" "$W/restore") ;;
        restore-one) CMD=("${exe[@]}" restore "${common[@]}" --file-to-restore "$arg" "file://$repo" "$W/restore-one") ;;
        list) CMD=("${exe[@]}" list-current-files "${common[@]}" "file://$repo") ;;
      esac ;;
    restic)
      local r=(restic -r "$repo" --cache-dir "$cache" --quiet)
      case $op in
        init) CMD=("${r[@]}" init) ;;
        full|incremental) CMD=("${r[@]}" backup "$arg") ;;
        restore-full|restore-chain) CMD=("${r[@]}" restore latest --target "$W/restore") ;;
        restore-one) CMD=("${r[@]}" restore latest --target "$W/restore-one" --include "/data/$arg") ;;
        list) CMD=(restic -r "$repo" --cache-dir "$cache" ls latest) ;;
      esac ;;
    borg-lz4|borg-zlib)
      local comp=lz4 e=none; [ "$tool" = borg-zlib ] && comp=zlib,6; [ "$mode" = encrypted ] && e=repokey
      case $op in
        init) CMD=(borg init --encryption "$e" "$repo") ;;
        full) CMD=(borg create --compression "$comp" "$repo::full" "$arg") ;;
        incremental) CMD=(borg create --compression "$comp" "$repo::incremental" "$arg") ;;
        # borg extracts into the current folder: a sub-shell enters the restore folder
        restore-full) CMD=(bash -c 'mkdir -p "$1" && cd "$1" && exec borg extract "$2"' _ "$W/restore" "$repo::full") ;;
        restore-chain) CMD=(bash -c 'mkdir -p "$1" && cd "$1" && exec borg extract "$2"' _ "$W/restore" "$repo::incremental") ;;
        restore-one) CMD=(bash -c 'mkdir -p "$1" && cd "$1" && exec borg extract "$2" "$3"' _ "$W/restore-one" "$repo::incremental" "data/$arg") ;;
        list) CMD=(borg list "$repo::incremental") ;;
      esac ;;
  esac
}
# where TOOL's whole restore of "data" lands
restored() { case $1 in duplicity|ours) echo "$W/restore" ;; *) echo "$W/restore/data" ;; esac; }
restored_one() { case $1 in duplicity|ours) echo "$W/restore-one" ;; *) echo "$W/restore-one/data" ;; esac; }

# A small file deep in the (changed) tree: the middle one of the third-level text files under 64 KB.
one_file() {
  $PY - "$W/data" <<'PY'
import os, sys
root = sys.argv[1]
c = sorted(os.path.relpath(os.path.join(dp, f), root) for dp, _, fs in os.walk(os.path.join(root, "src"))
           for f in fs if f.endswith(".txt") and os.path.relpath(dp, root).count(os.sep) == 2
           and os.path.getsize(os.path.join(dp, f)) < 65536)
print(c[len(c) // 2])
PY
}

# --- the rounds --------------------------------------------------------------------------------
one_tool() {
  local mode=$1 tool=$2 round=$3 bytes_full
  discard "$W/target-$tool" "$W/cache-$tool" "$W/restore" "$W/restore-one" "$W/data" "$BORG_BASE_DIR"
  cp -a "$W/corpus" "$W/data"               # the same starting tree, at the same path, for every tool
  cmd "$tool" "$mode" init; (cd "$W" && "${CMD[@]}") > "$W/logs/$mode-init-$tool-r$round.log" 2>&1 \
    || { echo "    $tool init failed:"; tail -5 "$W/logs/$mode-init-$tool-r$round.log"; return 0; }
  cmd "$tool" "$mode" full data
  step "$mode" full "$tool" "$round" "" -- "${CMD[@]}"
  bytes_full=$(bytes "$W/target-$tool")
  sed -i '$ s/\t[^\t]*$/\t'"$bytes_full"'/' "$W/results.tsv"
  cmd "$tool" "$mode" restore-full
  step "$mode" restore-full "$tool" "$round" "$PY scripts/benchmarks/compare-trees.py '$W/corpus' '$(restored "$tool")'" -- "${CMD[@]}"
  discard "$W/restore"
  $PY scripts/mutate-corpus.py "$W/data"
  sleep 1                                   # duplicity's backup times are in seconds: the incremental's must differ
  cmd "$tool" "$mode" incremental data
  step "$mode" incremental "$tool" "$round" "" -- "${CMD[@]}"
  sed -i '$ s/\t[^\t]*$/\t'"$(( $(bytes "$W/target-$tool") - bytes_full ))"'/' "$W/results.tsv"
  cmd "$tool" "$mode" restore-chain
  step "$mode" restore-chain "$tool" "$round" "$PY scripts/benchmarks/compare-trees.py '$W/data' '$(restored "$tool")'" -- "${CMD[@]}"
  discard "$W/restore"
  local rel; rel=$(one_file)
  cmd "$tool" "$mode" restore-one "$rel"
  step "$mode" restore-one "$tool" "$round" "$PY scripts/benchmarks/compare-trees.py --file '$rel' '$W/data' '$(restored_one "$tool")'" -- "${CMD[@]}"
  discard "$W/restore-one"
  cmd "$tool" "$mode" list
  step "$mode" list "$tool" "$round" "grep -qF '$rel' '$W/logs/$mode-list-$tool-r$round.log' || { echo '$rel not listed'; false; }" -- "${CMD[@]}"
  discard "$W/target-$tool" "$W/cache-$tool" "$W/data"
}
small_only() {
  local mode=$1 tool=$2 round=$3
  discard "$W/target-$tool" "$W/cache-$tool" "$BORG_BASE_DIR"
  cmd "$tool" "$mode" init; (cd "$W" && "${CMD[@]}") > "$W/logs/$mode-init-small-$tool-r$round.log" 2>&1 \
    || { echo "    $tool init failed"; return 0; }
  cmd "$tool" "$mode" full small
  step "$mode" full-small "$tool" "$round" "" -- "${CMD[@]}"
  sed -i '$ s/\t[^\t]*$/\t'"$(bytes "$W/target-$tool")"'/' "$W/results.tsv"
  discard "$W/target-$tool" "$W/cache-$tool"
}

empty_trash                                   # what an interrupted run left
for round in $(seq 1 "$ROUNDS"); do
  # The tools take turns; each round starts with the next one, so that none always runs first.
  n=${#tools[@]}; order=()
  for i in $(seq 0 $((n - 1))); do order+=("${tools[$(( (i + round - 1) % n ))]}"); done
  echo "round $round of $ROUNDS (order: ${order[*]})"
  for mode in "${MODES[@]}"; do
    for tool in "${order[@]}"; do one_tool "$mode" "$tool" "$round"; done
    if [ "$SMALL_ONLY" -gt 0 ]; then
      for tool in "${order[@]}"; do small_only "$mode" "$tool" "$round"; done
    fi
  done
done
rm -rf "$BORG_BASE_DIR" "$W/trash"

note "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
$PY scripts/benchmarks/benchmark-report.py "$W/header.txt" "$W/results.tsv" "$W/report.md" "$SMALL_ONLY"
