#!/usr/bin/env bash
# A real backup and restore with our console on the default file backend:
#   builds a small tree with every kind of entry, backs it up with
#   `dotnet run --project Duplicity.Samples -- full --no-encryption SRC file:///TARGET`,
#   restores it, and checks the restored tree is identical. When the stock duplicity is installed,
#   it also restores the same archive with duplicity and compares.
set -euo pipefail
cd "$(dirname "$0")/.."
W=$(mktemp -d "${TMPDIR:-/tmp}/duplicity-net-demo.XXXXXX")
trap 'rm -rf "$W"' EXIT
SRC=$W/src; TARGET=$W/target
mkdir -p "$SRC/docs/nested"
printf 'hello\n' > "$SRC/hello.txt"
printf 'a file with spaces\n' > "$SRC/docs/with space.txt"
printf 'deep\n' > "$SRC/docs/nested/deep.txt"
head -c 3000000 /dev/urandom > "$SRC/random.bin"
: > "$SRC/empty"
ln -s hello.txt "$SRC/link"
mkfifo "$SRC/fifo"
chmod 600 "$SRC/docs/nested/deep.txt"

dotnet build Duplicity.Samples -c Release -v q -nologo >/dev/null
dup() { dotnet run --no-build -c Release --project Duplicity.Samples -- "$@"; }

echo "== backup: full --no-encryption $SRC file://$TARGET"
dup full --no-encryption --volsize 1 --archive-dir "$W/cache" "$SRC" "file://$TARGET"
echo "== archive:"
ls -l "$TARGET"
echo "== restore into $W/restored"
dup restore --no-encryption --archive-dir "$W/cache" "file://$TARGET" "$W/restored"
same() {  # content, types and modes of two trees
  diff -r --no-dereference --exclude=fifo "$1" "$2" &&
  diff <(cd "$1" && find . -printf '%P %y %m %s\n' | sort) <(cd "$2" && find . -printf '%P %y %m %s\n' | sort)
}
same "$SRC" "$W/restored" && echo "restored tree is identical"
if command -v duplicity >/dev/null; then
  echo "== the stock duplicity restores our archive too"
  duplicity restore --no-encryption --archive-dir "$W/dupcache" "file://$TARGET" "$W/by-duplicity" >/dev/null
  same "$SRC" "$W/by-duplicity" && echo "duplicity's restore is identical"
fi
