#!/usr/bin/env python3
"""Writes the fuzzing seed corpus (Duplicity.Tests/TestData/fuzz/<target>/).

Seeds are small valid inputs: pieces of the real-duplicity fixtures (TestData/fixtures) plus hand-made
ones written with the reference tools (Python's tarfile, rdiff, gpg). Regression seeds (inputs that
once crashed a parser) are named regress-*.bin and are never rewritten by this script.
Run from the repository root: python3 scripts/fuzz/make-seeds.py
"""
import gzip, hashlib, io, os, subprocess, tarfile, tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, "Duplicity.Tests", "TestData")
PLAIN = os.path.join(DATA, "fixtures", "plain", "remote")
GPGFIX = os.path.join(DATA, "fixtures", "gpg", "remote")
OUT = os.path.join(DATA, "fuzz")
PASS = "duplicity-test"   # the gpg fixture's passphrase; also used for the hand-made messages


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def stream(label, n):
    out, i = b"", 0
    while len(out) < n:
        out += hashlib.sha256(f"{label}-{i}".encode()).digest()
        i += 1
    return out[:n]


def trim_tar(data):
    """Drops trailing zero blocks but keeps one end-of-archive block."""
    end = len(data)
    while end >= 512 and data[end - 512:end] == bytes(512):
        end -= 512
    return data[:end] + bytes(512)


def fixture_tar(name):
    return trim_tar(gzip.decompress(open(os.path.join(PLAIN, name), "rb").read()))


def tar_bytes(fmt, members, pax_headers=None):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt, pax_headers=pax_headers) as t:
        for info, data in members:
            t.addfile(info, io.BytesIO(data) if data is not None else None)
    return trim_tar(buf.getvalue())


def info(name, type=tarfile.REGTYPE, size=0, **kw):
    i = tarfile.TarInfo(name)
    i.type, i.size, i.mtime, i.mode = type, size, kw.pop("mtime", 1600000000), kw.pop("mode", 0o644)
    for k, v in kw.items():
        setattr(i, k, v)
    return i


def run(*args, input=None, env=None):
    return subprocess.run(args, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True, env=env).stdout


def make_tar():
    put("tar", "fixture-inc-vol1.tar", fixture_tar("duplicity-inc.20200913T122820Z.to.20200913T132820Z.vol1.difftar.gz"))
    put("tar", "fixture-inc-vol2.tar", fixture_tar("duplicity-inc.20200913T132820Z.to.20200913T142820Z.vol2.difftar.gz"))
    put("tar", "fixture-full-vol6.tar", fixture_tar("duplicity-full.20200913T122820Z.vol6.difftar.gz"))
    long = "snapshot/" + "d" * 120 + "/f\xe9.txt"
    put("tar", "pax-long-name.tar", tar_bytes(tarfile.PAX_FORMAT, [
        (info(long, size=5, uname="\xfcser", gname="grp", uid=1000, gid=1000), b"hello"),
        (info("snapshot/link", tarfile.SYMTYPE, linkname="t" * 150), None)]))
    put("tar", "gnu-long-base256.tar", tar_bytes(tarfile.GNU_FORMAT, [
        (info("snapshot/" + "n" * 140, size=3, uid=2 ** 40, gid=7), b"abc"),
        (info("snapshot/l", tarfile.SYMTYPE, linkname="x" * 130), None)]))
    put("tar", "ustar-kinds.tar", tar_bytes(tarfile.USTAR_FORMAT, [
        (info("snapshot/./", tarfile.DIRTYPE, mode=0o755), None),
        (info("snapshot/" + "p" * 90 + "/" + "q" * 60, size=1), b"z"),
        (info("snapshot/fifo", tarfile.FIFOTYPE), None),
        (info("snapshot/dev", tarfile.CHRTYPE, devmajor=4, devminor=64), None),
        (info("deleted/gone"), None)]))
    put("tar", "pax-global.tar", tar_bytes(tarfile.PAX_FORMAT, [
        (info("snapshot/x", size=2, pax_headers={"mtime": "1600000000.5", "comment": "c"}), b"hi")],
        pax_headers={"uname": "global", "uid": "77"}))


def make_names():
    names = [b"snapshot/./", b"snapshot/.", b"snapshot/", b"snapshot/a.txt", b"snapshot/sub/", b"diff/big.bin",
             b"deleted/gone.txt", b"signature/sub/nested.txt", b"multivol_snapshot/big.bin/3",
             b"multivol_diff/d/e/12", "signature/\xfcn\xefc\xf8d\xe9.txt".encode(), b"snapshot/bad\xff\xfe/x"]
    for i, n in enumerate(names):
        put("difftar-name", f"name{i:02}.bin", n)
    remote = sorted(os.listdir(PLAIN)) + sorted(os.listdir(GPGFIX)) + [
        "duplicity-full.20200913T122820Z.vol1.difftar.part.gz", "duplicity-full.20200913T122820Z.manifest.part",
        "df.kfgt6c.1.dt.g", "di.kfgt6c.kfgwo4.a.dt.z", "dfs.kfgt6c.st.p.z", "dns.kfgt6c.kfgwo4.st.g", "df.kfgt6c.m",
        "pre-duplicity-full.20200913T12:28:20Z.vol1.difftar.gz", "duplicity-full.2020-09-13T12:28:20+01:00.manifest"]
    seen = set()
    for n in remote:
        if n in seen:
            continue
        seen.add(n)
        put("remote-name", f"name{len(seen):02}.txt", n.encode())


def make_manifest():
    for n in sorted(os.listdir(PLAIN)):
        if n.endswith(".manifest"):
            put("manifest", n.split(".")[0] + "-" + n.split(".")[1] + ".manifest", open(os.path.join(PLAIN, n), "rb").read())
    put("manifest", "quoted.manifest", b'Hostname h\nLocaldir "/a\\x20b"\nVolume 1:\n    StartingPath   "x\\x09y" 3\n'
        b'    EndingPath     z\\xff 17\n    Hash SHA1 00\n    Hash MD5 11\nVolume 2:\n    StartingPath   z\n'
        b'    EndingPath     zz\nVolume 1:\n    StartingPath .\n    EndingPath .\nFilelist 2\n    new  "q\\x22"\n    deleted  w\n')


def make_signatures():
    src = gzip.decompress(open(os.path.join(PLAIN, "duplicity-full-signatures.20200913T122820Z.sigtar.gz"), "rb").read())
    with tarfile.open(fileobj=io.BytesIO(src)) as t:
        for m in t.getmembers():
            if m.name in ("signature/a.txt", "signature/empty.txt", "signature/big.bin"):
                data = t.extractfile(m).read()
                put("signature", "fixture-" + m.name.split("/")[1] + ".sig", data[:12 + 12 * 40])
    with tempfile.TemporaryDirectory() as tmp:
        for i, (n, block, strong) in enumerate([(3000, 512, 8), (700, 64, 16), (100, 16, 4)]):
            p = os.path.join(tmp, f"f{i}")
            open(p, "wb").write(stream(f"sig{i}", n))
            put("signature", f"rdiff-{n}-{block}-{strong}.sig",
                run("rdiff", "-H", "md4", "-R", "rollsum", "-b", str(block), "-S", str(strong), "signature", p))
    # Whole signature archives for the combined reader.
    for n in sorted(os.listdir(PLAIN)):
        if n.endswith(".sigtar.gz"):
            put("combined-signature", n.split(".")[0] + "-" + n.split(".")[1] + ".tar", fixture_tar(n))
    put("combined-signature", "small-pax.tar", tar_bytes(tarfile.PAX_FORMAT, [
        (info("snapshot/", tarfile.DIRTYPE, mode=0o755), None),
        (info("signature/a", size=24), open(os.path.join(OUT, "signature", "fixture-a.txt.sig"), "rb").read()),
        (info("deleted/b"), None), (info("snapshot/c", tarfile.SYMTYPE, linkname="a"), None)]))


def make_deltas():
    basis = stream("fuzz-basis", 4096)
    open(os.path.join(OUT, "delta.basis"), "wb").write(basis)
    news = {"same": basis, "insert": basis[:1000] + b"inserted text" + basis[1000:], "cut": basis[:500] + basis[2600:],
            "append": basis + stream("tail", 700), "fresh": stream("fresh", 300), "empty": b""}
    with tempfile.TemporaryDirectory() as tmp:
        b, s = os.path.join(tmp, "b"), os.path.join(tmp, "s")
        open(b, "wb").write(basis)
        run("rdiff", "-H", "md4", "-R", "rollsum", "-b", "512", "-S", "8", "signature", b, s)
        for name, data in news.items():
            p = os.path.join(tmp, name)
            open(p, "wb").write(data)
            put("delta", name + ".delta", run("rdiff", "delta", s, p))
    # Hand-made: every literal and COPY width, then END.
    put("delta", "widths.delta", bytes.fromhex("72730236" "03616263" "410141" "42" "0002" "5a5a" "45" "00" "10"
        "4a" "0020" "0010" "54" "0000000000000100" "0000000000000010" "43" "00000001" "42" "00"))


def make_openpgp():
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, GNUPGHOME=home)
        run("gpg", "--batch", "--import", os.path.join(DATA, "gpg", "ed-nopass.sec.asc"), env=env)
        base = ["gpg", "--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase", PASS, "--s2k-count", "65536"]  # the lowest count gpg writes: cheap to derive
        manifest = run(*base, "--decrypt", os.path.join(GPGFIX, "duplicity-inc.20200913T122820Z.to.20200913T132820Z.manifest.gpg"), env=env)
        text = b"alpha version 1\n"
        variants = {
            "aes256-plain": (["--compress-algo", "none"], text),
            "aes256-zip-manifest": (["--compress-algo", "zip"], manifest),
            "aes128-zlib": (["--cipher-algo", "AES128", "--compress-algo", "zlib"], manifest),
            "aes192-bzip2": (["--cipher-algo", "AES192", "--compress-algo", "bzip2"], text),
            "cast5": (["--cipher-algo", "CAST5", "--compress-algo", "none"], text),
            "signed": (["--sign", "--local-user", "B04C53A57D687777042C016F1950A4E9C6797789", "--compress-algo", "zip"], text),
        }
        for name, (opts, data) in variants.items():
            put("openpgp", name + ".gpg", run(*base, "--symmetric", *opts, input=data, env=env))
        # The packet streams inside the encryption, for the target that encrypts each mutant itself.
        inner = {
            "literal": ["--store", "--compress-algo", "none"],
            "zip-literal": ["--store", "--compress-algo", "zip"],
            "zlib-literal": ["--store", "--compress-algo", "zlib"],
            "bzip2-literal": ["--store", "--compress-algo", "bzip2"],
            "signed-zip": ["--sign", "--local-user", "B04C53A57D687777042C016F1950A4E9C6797789", "--compress-algo", "zip"],
            "signed-plain": ["--sign", "--local-user", "B04C53A57D687777042C016F1950A4E9C6797789", "--compress-algo", "none"],
        }
        for name, opts in inner.items():
            put("openpgp-inner", name + ".pkt", run(*base, *opts, input=manifest if "zip" in name else text, env=env))


def make_text():
    hosts = {
        "plain": "example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n",
        "mixed": "# comment\n\n[example.com]:2222,192.0.2.7 ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7\n"
                 "*.example.org,!bad.example.org ecdsa-sha2-nistp256 AAAAE2VjZHNh\n"
                 "@revoked * ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n"
                 "@cert-authority *.example.com ssh-ed25519 AAAA\n",
        "hashed": "|1|F1E1KeoE/eEWhi10WpGv4OdiO6Y=|3988QV0VE8wmZL7suNrYQLITLCg= ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMq\n"
                  "ex?mple.c*m\tssh-ed25519\tAAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl extra comment\n",
    }
    for n, t in hosts.items():
        put("known-hosts", n + ".txt", t.encode())
    urls = ["file:///usr/local", "file://relative/dir", "sftp://user@host:22/dir", "scp://user:p%40ss@host.net:1234/path",
            "s3://bucket/prefix?region=eu-west-1&x=a+b", "s3+http://bucket/etc", "boto3+s3://b/p#frag",
            "swift://container/path", "sftp://[2001:db8::1]:2200/backup", "pexpect+sftp://u:pw@h/p;q=1",
            "ftp://us%65r:p%zz@h/"]
    for i, u in enumerate(urls):
        put("backend-url", f"url{i:02}.txt", u.encode())


if __name__ == "__main__":
    # Optional arguments pick parts (tar names manifest signatures deltas openpgp text); default all.
    import sys
    parts = {"tar": make_tar, "names": make_names, "manifest": make_manifest, "signatures": make_signatures,
             "deltas": make_deltas, "openpgp": make_openpgp, "text": make_text}
    for part in sys.argv[1:] or parts:
        parts[part]()
