#!/usr/bin/env python3
"""Builds the benchmark corpus: tens of thousands of small files and a few 128 MiB files.

    make-corpus.py DIR [--small N] [--large N] [--large-mib M] [--no-extras] [--seed S]

Deterministic for a given seed. Small files mix text-like (compressible) and random content in a
realistic tree (nested folders); large files are random (incompressible), as media or archives are.
Unless --no-extras, a few entries exercise metadata a restore must bring back: symlinks (relative,
absolute, dangling, to a folder), an empty file, an empty folder, and files and folders with modes
other than the umask's (0600, 0755, 0640, 0700), and, when run as root, a file owned by a user and
group that have no name here (4242:4243: restores must keep the numbers).
"""
import argparse, os, random

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--small", type=int, default=30000, help="number of small files")
    ap.add_argument("--large", type=int, default=3, help="number of large files")
    ap.add_argument("--large-mib", type=int, default=128, help="size of each large file in MiB")
    ap.add_argument("--no-extras", action="store_true", help="no symlinks, empty entries or special modes")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    words = [("".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(2, 10)))).encode()
             for _ in range(5000)]
    os.makedirs(a.dir, exist_ok=True)
    mtime = 1700000000
    for i in range(a.small):
        d = os.path.join(a.dir, "src", "d%02d" % (i % 50), "e%03d" % ((i // 50) % 120))
        os.makedirs(d, exist_ok=True)
        size = int(rnd.lognormvariate(8.3, 1.0))          # median ~4 KB, long tail
        size = max(0, min(size, 2_000_000))
        if i % 3 == 0:
            data = rnd.randbytes(size)
        else:
            out = bytearray()
            while len(out) < size:
                out += b" ".join(rnd.choices(words, k=12)) + b"\n"
            data = bytes(out[:size])
        p = os.path.join(d, "f%06d.%s" % (i, "bin" if i % 3 == 0 else "txt"))
        with open(p, "wb") as f:
            f.write(data)
        os.utime(p, (mtime, mtime))
    big = os.path.join(a.dir, "big")
    os.makedirs(big, exist_ok=True)
    for j in range(a.large):
        p = os.path.join(big, "large%d.bin" % j)
        with open(p, "wb") as f:
            r = random.Random(a.seed * 1000 + j)
            for _ in range(a.large_mib):
                f.write(r.randbytes(1 << 20))
        os.utime(p, (mtime, mtime))
    if not a.no_extras:
        extras(a.dir, mtime)

def extras(root, mtime):
    """Metadata a restore must reproduce, outside src/ and big/ (which mutate-corpus.py changes)."""
    x = os.path.join(root, "extras")
    os.makedirs(os.path.join(x, "empty-dir"), exist_ok=True)
    os.makedirs(os.path.join(x, "private"), exist_ok=True)
    files = {"empty.txt": (b"", 0o644), "script.sh": (b"#!/bin/sh\necho hi\n", 0o755),
             "secret.txt": (b"not for others\n", 0o600), "private/group.txt": (b"group readable\n", 0o640)}
    for name, (data, mode) in files.items():
        p = os.path.join(x, name)
        with open(p, "wb") as f:
            f.write(data)
        os.chmod(p, mode)
        os.utime(p, (mtime, mtime))
    links = {"link-relative": "script.sh", "link-to-dir": "private", "link-dangling": "no-such-file",
             "link-absolute": "/etc/hostname"}
    for name, target in links.items():
        p = os.path.join(x, name)
        if not os.path.lexists(p):
            os.symlink(target, p)
    if os.geteuid() == 0:
        p = os.path.join(x, "owned-by-4242.txt")
        with open(p, "wb") as f:
            f.write(b"owned by a user without a name\n")
        os.chown(p, 4242, 4243)
        os.utime(p, (mtime, mtime))
    os.chmod(os.path.join(x, "private"), 0o700)
    for d in ("empty-dir", "private", ""):
        os.utime(os.path.join(x, d), (mtime, mtime))

if __name__ == "__main__":
    main()
