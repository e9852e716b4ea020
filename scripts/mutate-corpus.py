#!/usr/bin/env python3
"""Applies "a day of changes" to a benchmark corpus made by make-corpus.py (deterministic per seed):
changed, added, deleted and renamed small files; an appended, an overwritten and a front-inserted
large file.  Every touched file gets a new mtime so backups see the change.

    mutate-corpus.py DIR [--seed S]
"""
import argparse, os, random

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--seed", type=int, default=2)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    mtime = 1700086400
    small = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(a.dir, "src")) for f in fs)
    rnd.shuffle(small)
    changed, deleted, renamed = small[:600], small[600:1100], small[1100:1300]
    for p in changed:
        data = bytearray(open(p, "rb").read())
        if data:
            pos = rnd.randrange(len(data))
            data[pos:pos + 64] = rnd.randbytes(64)
        else:
            data = bytearray(rnd.randbytes(100))
        open(p, "wb").write(data)
        os.utime(p, (mtime, mtime))
    for p in deleted:
        os.remove(p)
    for i, p in enumerate(renamed):
        q = os.path.join(os.path.dirname(p), "renamed-%d-%s" % (i, os.path.basename(p)))
        os.rename(p, q)
    for i in range(500):
        d = os.path.join(a.dir, "src", "new%02d" % (i % 10))
        os.makedirs(d, exist_ok=True)
        p = os.path.join(d, "added%04d.txt" % i)
        open(p, "wb").write(rnd.randbytes(rnd.randint(100, 20000)))
        os.utime(p, (mtime, mtime))
    big = os.path.join(a.dir, "big")
    with open(os.path.join(big, "large0.bin"), "ab") as f:               # appended
        f.write(rnd.randbytes(10 << 20))
    with open(os.path.join(big, "large1.bin"), "r+b") as f:              # overwritten in the middle
        f.seek(60 << 20)
        f.write(rnd.randbytes(10 << 20))
    p = os.path.join(big, "large2.bin")                                  # inserted at the front
    data = open(p, "rb").read()
    with open(p, "wb") as f:
        f.write(rnd.randbytes(1 << 20))
        f.write(data)
    for n in ("large0.bin", "large1.bin", "large2.bin"):
        os.utime(os.path.join(big, n), (mtime, mtime))

if __name__ == "__main__":
    main()
