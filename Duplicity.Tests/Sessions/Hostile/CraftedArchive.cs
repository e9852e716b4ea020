using Duplicity.Repository;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Duplicity.Archive.Manifests;
using Duplicity.Archive.Tar;
using Duplicity.Backends;
using Duplicity.Crypto;
using Duplicity.Files;
using Duplicity.Sessions;
using Duplicity.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Duplicity.Tests.Sessions.Hostile;

/// <summary>Builds one-volume backup sets by hand (tar, gzip or OpenPGP, manifest) on an <see cref="InMemoryBackend"/>.</summary>
internal static class CraftedArchive
{
    public const string Stamp = "duplicity-full.20200913T122820Z";
    public const string Passphrase = "crafted-pw";

    public static TarEntryHeader Dir(string name) => new() { Name = Encoding.UTF8.GetBytes(name), TypeFlag = TarTypeFlag.Directory, Mode = 0x1ED, MTime = 1_600_000_000 };

    public static TarEntryHeader File(string name, long size) => new() { Name = Encoding.UTF8.GetBytes(name), TypeFlag = TarTypeFlag.Regular, Mode = 0x1A4, MTime = 1_600_000_000, Size = size };

    /// <summary>A tar with the given entries and the two end blocks.</summary>
    public static byte[] Tar(params (TarEntryHeader Header, byte[] Data)[] entries)
    {
        using var raw = new MemoryStream();
        foreach (var (h, data) in entries)
        {
            TarHeaderWriter.Write(h, raw);
            raw.Write(data);
            TarHeaderWriter.WritePadding(raw, data.Length);
        }
        raw.Write(new byte[1024]);
        return raw.ToArray();
    }

    /// <summary>The usual small tar: the root directory and a.txt holding "hello\n".</summary>
    public static byte[] HelloTar() => Tar((Dir("snapshot/./"), []), (File("snapshot/a.txt", 6), "hello\n"u8.ToArray()));

    public static byte[] Gzip(byte[] data)
    {
        using var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data);
        return gz.ToArray();
    }

    public static FixedPassphraseSource PassphraseSource => new(Passphrase);

    /// <summary>Encrypts with the project's encryptor (SEIPD with MDC, no compression so offsets stay predictable).</summary>
    public static async Task<byte[]> EncryptAsync(byte[] plain, EncryptionOptions? options = null)
    {
        var encryptor = await OpenPgpEncryptor.CreateAsync(options ?? EncryptionOptions.Passphrase(PassphraseSource).WithCompression(false));
        using var output = new MemoryStream();
        using (var w = encryptor.OpenWrite(output)) w.Write(plain);
        return output.ToArray();
    }

    /// <summary>The manifest of a one-volume set covering every path, with the volume's SHA-1 unless <paramref name="withHash"/> is false.</summary>
    public static byte[] ManifestFor(byte[] volume, bool withHash = true)
    {
        var manifest = new Manifest { Hostname = "host", LocalDir = "src"u8.ToArray() };
        var v = new ManifestVolume { Number = 1, StartPath = IndexPath.Root, EndPath = IndexPath.Parse("zzz") };
#pragma warning disable CA5350 // The manifest format mandates SHA-1 volume hashes; the test computes them (no secret).
        if (withHash) v.SetHash("SHA1", Convert.ToHexStringLower(SHA1.HashData(volume)));
#pragma warning restore CA5350
        manifest.Volumes[1] = v;
        manifest.Filelist = [];
        return ManifestWriter.ToBytes(manifest);
    }

    /// <summary>Puts a gzip (<c>.gz</c>) or OpenPGP (<c>.gpg</c>) volume and its manifest on a new backend.</summary>
    /// <param name="withHash">Whether the manifest records the volume's SHA-1 (duplicity accepts manifests without).</param>
    /// <param name="suffix">The volume name's suffix; null follows <paramref name="encrypted"/>.</param>
    public static async Task<InMemoryBackend> BackendWithAsync(byte[] volume, bool encrypted, bool withHash = true, string? suffix = null)
    {
        var backend = new InMemoryBackend();
        backend.SetContent(Stamp + ".vol1.difftar" + (suffix ?? (encrypted ? ".gpg" : ".gz")), volume);
        var bytes = ManifestFor(volume, withHash);
        if (encrypted) backend.SetContent(Stamp + ".manifest.gpg", await EncryptAsync(bytes));
        else backend.SetContent(Stamp + ".manifest", bytes);
        return backend;
    }

    public static Task<RestoreResult> RestoreAsync(IBackend backend, TempFolder tmp, DecryptionOptions? decryption = null, ILoggerFactory? loggers = null, string? target = null) =>
        Support.Sessions.RestoreAsync(backend, new RepositoryOptions
        {
            ArchiveDirectory = tmp.Sub("cache"),
            Name = "x",
            TempDirectory = Directory.CreateDirectory(tmp.Sub("tmp")).FullName,
            Decryption = decryption,
        }, new RestoreOptions
        {
            Target = target ?? tmp.Sub("target"),
        }, loggerFactory: loggers);

    /// <summary>Decryption with the crafted passphrase; <paramref name="fastPath"/> false forces BouncyCastle's own stream.</summary>
    public static DecryptionOptions Decryption(bool fastPath = true) => new() { PassphraseSource = PassphraseSource, DisableFastPath = !fastPath };

    /// <summary>Files left in the target (none may be half-written; none may lie outside).</summary>
    public static string[] FilesIn(TempFolder tmp) =>
        Directory.Exists(tmp.Sub("target")) ? Directory.GetFiles(tmp.Sub("target"), "*", SearchOption.AllDirectories) : [];
}
