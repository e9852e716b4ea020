using Duplicity.Selection;
using Duplicity.Archive.Naming;
using Duplicity.Repository;
using Duplicity.Crypto;
using Duplicity.Samples.CommandLine;
using Duplicity.Sessions;

namespace Duplicity.Samples;

/// <summary>The options of a command line turned into the API's settings.</summary>
internal sealed class ConsoleSettings
{
    // Options this console turns into API settings; every other duplicity option is refused.
    private static readonly HashSet<string> SelectionOptions =
    [
        "--include", "--exclude", "--include-filelist", "--exclude-filelist", "--include-regexp", "--exclude-regexp",
        "--exclude-if-present", "--exclude-device-files", "--exclude-other-filesystems", "--exclude-older-than",
        "--include-globbing-filelist", "--exclude-globbing-filelist", "--null-separator",
    ];

    private static readonly HashSet<string> Supported =
    [
        "--archive-dir", "--name", "--no-encryption", "--no-compression", "--volsize", "--file-to-restore", "--force",
        "--restore-time", "--numeric-owner", "--do-not-restore-ownership", "--no-print-statistics", "--tempdir",
        "--max-blocksize", "--file-prefix", "--file-prefix-archive", "--file-prefix-manifest", "--file-prefix-signature",
        "--verbosity", "--current-time", "--no-files-changed", "--allow-source-mismatch", "--full-if-older-than", "--compare-data", "--dry-run",
        "--encrypt-key", "--hidden-encrypt-key", "--sign-key", "--encrypt-sign-key",
        "--file-changed", "--show-changes-in-set",
        // backend options, read by BackendFactory
        "--ssh-options", "--timeout", "--num-retries", "--backend-retry-delay", "--mp-segment-size", "--swift-storage-policy",
        "--s3-endpoint-url", "--s3-region-name", "--s3-use-ia", "--s3-use-glacier", "--s3-use-glacier-ir", "--s3-use-deep-archive",
        "--s3-use-onezone-ia", "--s3-use-rrs", "--s3-use-server-side-encryption", "--s3-use-server-side-kms-encryption",
        "--s3-kms-key-id", "--s3-kms-grant", "--s3-multipart-chunk-size", "--s3-multipart-max-procs", "--s3-unencrypted-connection",
        "--ftp-passive", "--ftp-regular", "--ssl-cacert-file", "--ssl-no-check-certificate",
        "--log-file", "--log-fd", "--log-timestamp", "--progress", "--progress-rate",
    ];

    /// <summary>
    /// Options that only tune a backend (or a wrapper) this version does not have. duplicity accepts
    /// them whatever the URL, and with the schemes here they change nothing, so a migrated script
    /// runs on with a warning instead of stopping.
    /// </summary>
    private static readonly Dictionary<string, string> TuningOnly = new()
    {
        ["--azure-blob-tier"] = "Azure", ["--azure-max-single-put-size"] = "Azure", ["--azure-max-block-size"] = "Azure",
        ["--azure-max-connections"] = "Azure", ["--b2-hide-files"] = "B2", ["--cf-backend"] = "Cloud Files",
        ["--idr-fakeroot"] = "IDrive", ["--imap-full-address"] = "IMAP", ["--imap-mailbox"] = "IMAP",
        ["--gio"] = "GIO", ["--mf-purge"] = "MediaFire",
        ["--rsync-options"] = "rsync", ["--scp-command"] = "pexpect SSH", ["--sftp-command"] = "pexpect SSH",
        ["--s3-use-new-style"] = "boto (S3, version 2)", ["--s3-european-buckets"] = "boto (S3, version 2)",
        ["--s3-use-multiprocessing"] = "boto (S3, version 2)", ["--s3-multipart-max-timeout"] = "boto (S3, version 2)",
        ["--par2-redundancy"] = "par2+", ["--par2-volumes"] = "par2+", ["--par2-options"] = "par2+",
        ["--ssl-cacert-path"] = "WebDAV and lftp",
    };

    /// <summary>Options given that only tune a backend this version does not have, with that backend's name.</summary>
    public IReadOnlyList<(string Option, string Backend)> IgnoredOptions { get; private init; } = [];

    public int Verbosity { get; private init; } = 3;
    /// <summary>--archive-dir (expanded); null uses the default root.</summary>
    public string? ArchiveDirectory { get; private init; }
    /// <summary>--name, else the MD5 of the backend URL as typed.</summary>
    public required string BackupName { get; init; }
    public required FileNamingOptions Naming { get; init; }
    public long VolumeSize { get; private init; } = 200L * 1024 * 1024;
    public bool Compress { get; private init; } = true;
    public bool PrintStatistics { get; private init; } = true;
    public string? TempDirectory { get; private init; }
    public int MaxBlockSize { get; private init; } = 2048;
    public TimeProvider Clock { get; private init; } = TimeProvider.System;
    public string? Time { get; private init; }
    public TimeSpan? FullIfOlderThan { get; private init; }
    public bool AllowSourceMismatch { get; private init; }
    public string? FileToRestore { get; private init; }
    public bool Force { get; private init; }
    public bool Encrypt { get; private init; } = true;
    public bool CompareData { get; private init; }
    public bool DryRun { get; private init; }
    public IReadOnlyList<string> Recipients { get; private init; } = [];
    public IReadOnlyList<string> HiddenRecipients { get; private init; } = [];
    public string? SignKey { get; private init; }
    public FileSelection? Selection { get; private init; }
    public bool NoFilesChanged { get; private init; }
    public OwnershipRestore Ownership { get; private init; } = OwnershipRestore.ByName;

    public static ConsoleSettings From(Invocation invocation)
    {
        var o = invocation.Options;
        var ignored = new List<(string, string)>();
        foreach (var (option, _) in o.Options)
        {
            if (TuningOnly.TryGetValue(option.Name, out var backend))
            {
                if (!ignored.Exists(i => i.Item1 == option.Name)) ignored.Add((option.Name, backend));
                continue;
            }
            if (!Supported.Contains(option.Name) && !SelectionOptions.Contains(option.Name))
                throw new DuplicityException(DuplicityErrorCode.NotImplemented,
                    $"Option {option.Name} is not supported yet by this version of Duplicity for .NET.");
        }

        long volsize = 200;
        if (o.Last("--volsize") is { } v && (!long.TryParse(v, out volsize) || volsize <= 0))
            throw new CommandLineException($"option --volsize: invalid integer value: '{v}'", true);
        int maxBlock = 2048;
        if (o.Last("--max-blocksize") is { } mb && !int.TryParse(mb, out maxBlock))
            throw new CommandLineException($"option --max-blocksize: invalid integer value: '{mb}'", true);
        TimeProvider clock = TimeProvider.System;
        if (o.Last("--current-time") is { } ct)
        {
            if (!long.TryParse(ct, out var seconds)) throw new CommandLineException($"option --current-time: invalid integer value: '{ct}'", true);
            clock = new FixedClock(DateTimeOffset.FromUnixTimeSeconds(seconds));
        }
        var fileToRestore = o.Last("--file-to-restore")?.Trim('/');
        TimeSpan? fullIfOlderThan = null;
        if (o.Last("--full-if-older-than") is { } foo)
        {
            var now = clock.GetUtcNow();
            try
            {
                fullIfOlderThan = TimeSpan.FromSeconds(now.ToUnixTimeSeconds() - DuplicityTime.ParseUserTime(foo, now, TimeZoneInfo.Local));
            }
            catch (ArgumentException e)
            {
                throw new CommandLineException(e.Message);
            }
        }
        return new ConsoleSettings
        {
            IgnoredOptions = ignored,
            Verbosity = o.Last("--verbosity") is { } verb ? ParseVerbosity(verb) : 3,
            ArchiveDirectory = o.Last("--archive-dir") is { } ad ? LocalPathExpansion.Expand(ad) : null,
            BackupName = o.Last("--name") ?? RepositoryOptions.DefaultNameFor(invocation.BackendUrl),
            Naming = new FileNamingOptions
            {
                FilePrefix = o.Last("--file-prefix") ?? "",
                ArchivePrefix = o.Last("--file-prefix-archive") ?? "",
                ManifestPrefix = o.Last("--file-prefix-manifest") ?? "",
                SignaturePrefix = o.Last("--file-prefix-signature") ?? "",
            },
            VolumeSize = volsize * 1024 * 1024,
            Compress = !o.Has("--no-compression"),
            PrintStatistics = !o.Has("--no-print-statistics"),
            TempDirectory = o.Last("--tempdir"),
            MaxBlockSize = maxBlock,
            Clock = clock,
            Time = o.Last("--restore-time"),
            FullIfOlderThan = fullIfOlderThan,
            AllowSourceMismatch = o.Has("--allow-source-mismatch"),
            FileToRestore = string.IsNullOrEmpty(fileToRestore) ? null : fileToRestore,
            Force = o.Has("--force"),
            Encrypt = !o.Has("--no-encryption"),
            CompareData = o.Has("--compare-data"),
            DryRun = o.Has("--dry-run"),
            Recipients = [.. o.All("--encrypt-key"), .. o.All("--encrypt-sign-key")],
            HiddenRecipients = [.. o.All("--hidden-encrypt-key")],
            SignKey = o.Last("--sign-key") ?? o.Last("--encrypt-sign-key"),
            Selection = ParseSelection(o, clock),
            NoFilesChanged = o.Has("--no-files-changed"),
            Ownership = o.Has("--do-not-restore-ownership") ? OwnershipRestore.None
                : o.Has("--numeric-owner") ? OwnershipRestore.Numeric : OwnershipRestore.ByName,
        };
    }

    private OpenPgpKeyring? _keyring;

    /// <summary>The GnuPG home's keys (GNUPGHOME, else ~/.gnupg), loaded once when keys are needed.</summary>
    private async Task<OpenPgpKeyring> KeyringAsync(CancellationToken cancellationToken) =>
        _keyring ??= await OpenPgpKeyring.LoadGnuPGHomeAsync(null, cancellationToken);

    private bool UsesKeys => Recipients.Count + HiddenRecipients.Count > 0 || SignKey != null;

    /// <summary>
    /// The repository settings of the command line: archive dir, name, prefixes, temp folder, clock, and
    /// encryption or decryption as the action needs them (backups encrypt; restore, verify, listing and
    /// replicate decrypt; the others read no file content, so no passphrase is asked).
    /// </summary>
    public async Task<RepositoryOptions> RepositoryOptionsAsync(ActionKind action, CancellationToken cancellationToken) => new()
    {
        ArchiveDirectory = ArchiveDirectory,
        Name = BackupName,
        FileNaming = Naming,
        Compress = Compress,
        TempDirectory = TempDirectory,
        TimeProvider = Clock,
        Encryption = action is ActionKind.Full or ActionKind.Incremental or ActionKind.AutoBackup ? await EncryptionAsync(cancellationToken) : null,
        Decryption = action is ActionKind.Restore or ActionKind.Verify or ActionKind.ListCurrentFiles or ActionKind.Replicate
            ? await DecryptionAsync(cancellationToken) : null,
    };

    /// <summary>What a backup encrypts with (null with --no-encryption).</summary>
    public async Task<EncryptionOptions?> EncryptionAsync(CancellationToken cancellationToken)
    {
        if (!Encrypt) return null;
        bool signKeyIsRecipient = SignKey != null && Recipients.Contains(SignKey);
        EncryptionOptions options;
        if (Recipients.Count + HiddenRecipients.Count > 0)
        {
            var keyring = await KeyringAsync(cancellationToken);
            options = EncryptionOptions.PublicKey(keyring, [.. Recipients]);
            if (HiddenRecipients.Count > 0) options = options.WithHiddenRecipients(keyring, [.. HiddenRecipients]);
        }
        else
        {
            options = EncryptionOptions.Passphrase(new ConsolePassphraseSource(confirm: true, signKeyIsRecipient));
        }
        if (SignKey != null)
            options = options.WithSignKey(await KeyringAsync(cancellationToken), SignKey, new ConsolePassphraseSource(false, signKeyIsRecipient));
        return options;
    }

    /// <summary>How restores, verifies, listings and cache syncs decrypt (secret keys from the GnuPG home when it exists).</summary>
    public async Task<DecryptionOptions?> DecryptionAsync(CancellationToken cancellationToken)
    {
        var home = Environment.GetEnvironmentVariable("GNUPGHOME") is { Length: > 0 } h ? h
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".gnupg");
        var keyring = UsesKeys || Directory.Exists(home) ? await KeyringAsync(cancellationToken) : null;
        return new DecryptionOptions
        {
            Keyring = keyring,
            PassphraseSource = new ConsolePassphraseSource(false, SignKey != null && Recipients.Contains(SignKey)),
            ExpectedSignKey = SignKey,
        };
    }

    private static FileSelection? ParseSelection(ParsedCommandLine o, TimeProvider clock)
    {
        var words = new List<string>();
        foreach (var (option, values) in o.Options)
        {
            if (!SelectionOptions.Contains(option.Name)) continue;
            words.Add(option.Name);
            words.AddRange(values);
        }
        return words.Count == 0 ? null : FileSelection.Parse(words, clock);
    }

    /// <summary>The <c>--time</c> value as seconds since the epoch (null when not given).</summary>
    public DateTimeOffset? ParseTime()
    {
        if (Time == null) return null;
        try
        {
            return DateTimeOffset.FromUnixTimeSeconds(DuplicityTime.ParseUserTime(Time, Clock.GetUtcNow(), TimeZoneInfo.Local));
        }
        catch (ArgumentException e)
        {
            throw new CommandLineException(e.Message);
        }
    }

    /// <summary>duplicity's verbosity: a digit 0-9, a letter e/w/n/i/d, or a word.</summary>
    public static int ParseVerbosity(string value)
    {
        var v = value.ToLowerInvariant();
        if (v.Length == 1 && char.IsAsciiDigit(v[0])) return v[0] - '0';
        return v switch
        {
            "e" or "error" => 0,
            "w" or "warning" => 2,
            "n" or "notice" => 3,
            "i" or "info" => 5,
            "d" or "debug" => 9,
            _ => throw new CommandLineException($"option --verbosity: invalid verbosity level: '{value}'", true),
        };
    }

    /// <summary>A clock stopped at one instant (duplicity's hidden <c>--current-time</c>).</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
