using System.Security.Cryptography;
using System.Text;
using Duplicity.Archive.Naming;
using Duplicity.Crypto;

namespace Duplicity.Repository;

/// <summary>
/// What every operation on one backup repository shares: where its local archive dir is
/// (duplicity's <c>--archive-dir</c> and <c>--name</c>), how its files are named, encrypted and
/// read, where temporary files go, and the clock.
/// </summary>
public sealed class RepositoryOptions
{
    /// <summary>
    /// The backend's URL, for a repository opened by <see cref="BackupRepositoryFactory"/> (dependency injection).
    /// <see cref="BackupRepository.OpenAsync(Backends.IBackend, RepositoryOptions?, Microsoft.Extensions.Logging.ILoggerFactory?, CancellationToken)"/>
    /// takes the backend itself and ignores this.
    /// </summary>
    public string? BackendUrl { get; set; }

    /// <summary>The archive dir root; null means <c>$XDG_CACHE_HOME/duplicity</c> (else <c>~/.cache/duplicity</c>).</summary>
    public string? ArchiveDirectory { get; set; }

    /// <summary>The backup's folder below the root (<c>--name</c>); null means the MD5 of the backend's URL, as duplicity names it.</summary>
    public string? Name { get; set; }

    /// <summary>File-name prefixes and naming style.</summary>
    public FileNamingOptions FileNaming { get; set; } = new();

    /// <summary>How new files are encrypted (passphrase or public keys, optional signing); null or None writes unencrypted ones.</summary>
    public EncryptionOptions? Encryption { get; set; }

    /// <summary>
    /// Passphrase and/or secret keys to read encrypted files (and the expected signer). Derived from a
    /// passphrase <see cref="Encryption"/> when null; a public-key repository needs the secret key here
    /// to read anything but what it writes.
    /// </summary>
    public DecryptionOptions? Decryption { get; set; }

    /// <summary>
    /// Which OpenPGP implementation writes and reads encrypted files: the SDK's own (default) or the
    /// <c>gpg</c> program (<see cref="OpenPgpEngine.GnuPGBinary"/>, set up by <see cref="GnuPG"/>), for keys
    /// on smartcards or held by gpg-agent.
    /// </summary>
    public OpenPgpEngine OpenPgpEngine { get; set; } = OpenPgpEngine.InProcess;

    /// <summary>How <c>gpg</c> is run when <see cref="OpenPgpEngine"/> is <see cref="OpenPgpEngine.GnuPGBinary"/>.</summary>
    public GnuPGOptions GnuPG { get; set; } = new();

    /// <summary>Gzip unencrypted volumes and signatures (default). False is duplicity's <c>--no-compression</c>.</summary>
    public bool Compress { get; set; } = true;

    /// <summary>Folder for temporary files (private to the user); null uses the system temporary folder.</summary>
    public string? TempDirectory { get; set; }

    /// <summary>The clock that says what "now" is: backup times, restore "now", retention cutoffs.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal RepositoryOptions Clone() => (RepositoryOptions)MemberwiseClone();

    /// <summary>duplicity's default backup name for a URL: the lower-case hex MD5 of the URL exactly as typed.</summary>
    /// <param name="url">The backend URL as the user gave it.</param>
#pragma warning disable CA5351 // duplicity names the archive dir by the URL's MD5; a name, not a secret.
    public static string DefaultNameFor(string url) =>
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(url ?? throw new ArgumentNullException(nameof(url)))));
#pragma warning restore CA5351

    /// <summary>The default archive dir root, from <c>XDG_CACHE_HOME</c> or the home folder.</summary>
    public static string DefaultArchiveDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(root, "duplicity");
    }
}
