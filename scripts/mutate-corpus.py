#!/usr/bin/env python3
"""Applies "a day of changes" to a benchmark corpus made by make-corpus.py (deterministic per seed):
changed, added, deleted and renamed small files (2 %, 1.7 %, 1.7 % and 0.7 % of them: 600, 500, 500
and 200 of the default 30,000); a few files whose mode alone changes (same mtime and size: a backup
must notice it from the metadata); an appended, an overwritten and a front-inserted large file (those
of large0..2.bin that exist; offsets scale with the file's size).  Every file whose content changes
gets a new mtime so backups see the change.

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
    n = len(small)
    c, d, r = round(n * 0.02), round(n / 60), round(n / 150)
    changed, deleted, renamed = small[:c], small[c:c + d], small[c + d:c + d + r]
    chmodded = small[c + d + r:c + d + r + max(1, round(n / 3000))]
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
    for p in chmodded:                                                   # metadata-only change
        os.chmod(p, 0o600)
    for i in range(round(n / 60)):
        d = os.path.join(a.dir, "src", "new%02d" % (i % 10))
        os.makedirs(d, exist_ok=True)
        p = os.path.join(d, "added%04d.txt" % i)
        open(p, "wb").write(rnd.randbytes(rnd.randint(100, 20000)))
        os.utime(p, (mtime, mtime))
    big = os.path.join(a.dir, "big")
    # For the default 128 MiB files: 10 MiB appended, 10 MiB overwritten at 60 MiB, 1 MiB inserted.
    def scaled(name, part):
        return max(1, os.path.getsize(os.path.join(big, name)) * part // (128 << 20))
    if os.path.exists(os.path.join(big, "large0.bin")):
        with open(os.path.join(big, "large0.bin"), "ab") as f:           # appended
            f.write(rnd.randbytes(scaled("large0.bin", 10 << 20)))
    if os.path.exists(os.path.join(big, "large1.bin")):
        at, length = scaled("large1.bin", 60 << 20), scaled("large1.bin", 10 << 20)
        with open(os.path.join(big, "large1.bin"), "r+b") as f:          # overwritten in the middle
            f.seek(at)
            f.write(rnd.randbytes(length))
    p = os.path.join(big, "large2.bin")                                  # inserted at the front
    if os.path.exists(p):
        data = open(p, "rb").read()
        with open(p, "wb") as f:
            f.write(rnd.randbytes(scaled("large2.bin", 1 << 20)))
            f.write(data)
    for name in ("large0.bin", "large1.bin", "large2.bin"):
        if os.path.exists(os.path.join(big, name)):
            os.utime(os.path.join(big, name), (mtime, mtime))

if __name__ == "__main__":
    main()
