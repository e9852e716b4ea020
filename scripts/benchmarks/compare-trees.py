#!/usr/bin/env python3
"""Checks a restore against its source: same entries, types, contents, modes, mtimes, symlink targets,
and (when run as root, where a restore can set them) owners.

    compare-trees.py SOURCE RESTORED [--file REL] [--max N] [--no-dir-mtime]

SOURCE and RESTORED are folders compared entry by entry (the roots' own metadata is not compared:
a restore target's root is the tool's to create). With --file REL only SOURCE/REL is compared with
RESTORED (a file or the folder holding REL at the same relative path: both are accepted, as tools
differ). mtimes are compared in whole seconds (duplicity's archives keep seconds); symlinks' own
mtimes are not compared (not every tool sets them). Prints the first N differences (default 10) and
exits 1 when there is any, 0 when the trees match.
"""
import argparse, hashlib, os, stat, sys

def digest(path):
    h = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                return h.digest()
            h.update(b)

def kind(st):
    m = st.st_mode
    return ("dir" if stat.S_ISDIR(m) else "file" if stat.S_ISREG(m) else "symlink" if stat.S_ISLNK(m)
            else "fifo" if stat.S_ISFIFO(m) else "char" if stat.S_ISCHR(m) else "block" if stat.S_ISBLK(m)
            else "socket" if stat.S_ISSOCK(m) else "other")

def walk(root):
    """Relative path -> lstat, for every entry under root (root itself excluded)."""
    out = {}
    for dp, dns, fns in os.walk(root):
        for n in dns + fns:
            p = os.path.join(dp, n)
            out[os.path.relpath(p, root)] = os.lstat(p)
    return out

class Checker:
    def __init__(self, max_report, dir_mtime):
        self.max, self.dir_mtime, self.count = max_report, dir_mtime, 0
        self.owners = os.geteuid() == 0

    def differ(self, rel, what):
        self.count += 1
        if self.count <= self.max:
            print(f"  {rel}: {what}")

    def entry(self, rel, a_path, b_path, a, b):
        ka, kb = kind(a), kind(b)
        if ka != kb:
            return self.differ(rel, f"type {ka} != {kb}")
        if ka != "symlink" and stat.S_IMODE(a.st_mode) != stat.S_IMODE(b.st_mode):
            self.differ(rel, f"mode {stat.S_IMODE(a.st_mode):o} != {stat.S_IMODE(b.st_mode):o}")
        if self.owners and (a.st_uid, a.st_gid) != (b.st_uid, b.st_gid):
            self.differ(rel, f"owner {a.st_uid}:{a.st_gid} != {b.st_uid}:{b.st_gid}")
        if ka == "symlink":
            ta, tb = os.readlink(a_path), os.readlink(b_path)
            if ta != tb:
                self.differ(rel, f"symlink target {ta!r} != {tb!r}")
            return
        if (ka != "dir" or self.dir_mtime) and int(a.st_mtime) != int(b.st_mtime):
            self.differ(rel, f"mtime {int(a.st_mtime)} != {int(b.st_mtime)}")
        if ka == "file":
            if a.st_size != b.st_size:
                self.differ(rel, f"size {a.st_size} != {b.st_size}")
            elif digest(a_path) != digest(b_path):
                self.differ(rel, "content differs")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("source")
    ap.add_argument("restored")
    ap.add_argument("--file")
    ap.add_argument("--max", type=int, default=10)
    ap.add_argument("--no-dir-mtime", action="store_true", help="do not compare folders' mtimes")
    a = ap.parse_args()
    c = Checker(a.max, not a.no_dir_mtime)
    if not os.path.isdir(a.source):
        print(f"  source {a.source} is not a folder")
        return 1
    if a.file:
        src = os.path.join(a.source, a.file)
        dst = a.restored
        if os.path.isdir(dst) and not os.path.islink(dst):
            dst = os.path.join(dst, a.file)
        if not os.path.lexists(dst):
            print(f"  {a.file}: not restored (looked for {dst})")
            return 1
        c.entry(a.file, src, dst, os.lstat(src), os.lstat(dst))
    else:
        if not os.path.isdir(a.restored):
            print(f"  {a.restored}: not restored")
            return 1
        sa, sb = walk(a.source), walk(a.restored)
        for rel in sorted(sa.keys() - sb.keys()):
            c.differ(rel, "missing from the restore")
        for rel in sorted(sb.keys() - sa.keys()):
            c.differ(rel, "not in the source")
        for rel in sorted(sa.keys() & sb.keys()):
            c.entry(rel, os.path.join(a.source, rel), os.path.join(a.restored, rel), sa[rel], sb[rel])
    if c.count:
        print(f"  {c.count} difference(s)" + (f", first {a.max} shown" if c.count > a.max else ""))
        return 1
    return 0

if __name__ == "__main__":
    sys.exit(main())
