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
        "--include-filelist-stdin", "--exclude-filelist-stdin",
    ];

    private static readonly HashSet<string> Supported =
    [
        "--archive-dir", "--name", "--no-encryption", "--no-compression", "--volsize", "--file-to-restore", "--force",
        "--restore-time", "--numeric-owner", "--do-not-restore-ownership", "--no-print-statistics", "--tempdir",
        "--max-blocksize", "--file-prefix", "--file-prefix-archive", "--file-prefix-manifest", "--file-prefix-signature",
        "--verbosity", "--current-time", "--no-files-changed", "--allow-source-mismatch", "--full-if-older-than", "--compare-data", "--dry-run",
        "--encrypt-key", "--hidden-encrypt-key", "--sign-key", "--encrypt-sign-key",
        "--file-changed", "--show-changes-in-set", "--asynchronous-upload",
        // backend options, read by BackendFactory
        "--ssh-options", "--timeout", "--num-retries", "--backend-retry-delay", "--mp-segment-size", "--swift-storage-policy",
        "--s3-endpoint-url", "--s3-region-name", "--s3-use-ia", "--s3-use-glacier", "--s3-use-glacier-ir", "--s3-use-deep-archive",
        "--s3-use-onezone-ia", "--s3-use-rrs", "--s3-use-server-side-encryption", "--s3-use-server-side-kms-encryption",
        "--s3-kms-key-id", "--s3-kms-grant", "--s3-multipart-chunk-size", "--s3-multipart-max-procs", "--s3-unencrypted-connection",
        "--ssl-cacert-file", "--ssl-cacert-path",
        "--azure-blob-tier", "--azure-max-single-put-size", "--azure-max-block-size", "--azure-max-connections",
        "--par2-redundancy", "--par2-volumes", "--par2-options",
        "--ftp-passive", "--ftp-regular",
        "--log-file", "--log-fd", "--log-timestamp", "--progress", "--progress-rate",
        // the gpg program as the OpenPGP engine (any of these selects it)
        "--use-agent", "--gpg-binary", "--gpg-options", "--encrypt-secret-keyring",
        // This version always synchronises every manifest and signature file (duplicity's "full").
        "--metadata-sync-mode",
        // Only prints duplicity's deprecation notice: the separator is used by old-style names alone.
        "--time-separator",
        // The deprecated name forms (archive-format 1.2, 1.3): written and read as duplicity does, with its notice.
        "--short-filenames", "--old-filenames",
        // duplicity's testing options: skip a volume's upload, stop after a volume.
        "--skip-volume", "--fail-on-volume",
        // duplicity reads no configuration from it in 0.8.22; a debugger hook that means nothing here.
        "--config-dir", "--pydevd",
        "--ignore-errors", "--ssl-no-check-certificate", "--copy-links", "--rename",
    ];

    /// <summary>
    /// Options that only tune a backend (or a wrapper) this version does not have. duplicity accepts
    /// them whatever the URL, and with the schemes here they change nothing, so a migrated script
    /// runs on with a warning instead of stopping.
    /// </summary>
    private static readonly Dictionary<string, string> TuningOnly = new()
    {
        ["--b2-hide-files"] = "B2", ["--cf-backend"] = "Cloud Files",
        ["--idr-fakeroot"] = "IDrive", ["--imap-full-address"] = "IMAP", ["--imap-mailbox"] = "IMAP",
        ["--gio"] = "GIO", ["--mf-purge"] = "MediaFire",
        ["--rsync-options"] = "rsync", ["--scp-command"] = "pexpect SSH", ["--sftp-command"] = "pexpect SSH",
        ["--s3-use-new-style"] = "boto (S3, version 2)", ["--s3-european-buckets"] = "boto (S3, version 2)",
        ["--s3-use-multiprocessing"] = "boto (S3, version 2)", ["--s3-multipart-max-timeout"] = "boto (S3, version 2)",
        ["--ssh-askpass"] = "paramiko and pexpect SSH",
    };

    /// <summary>Options given that only tune a backend this version does not have, with that backend's name.</summary>
    public IReadOnlyList<(string Option, string Backend)> IgnoredOptions { get; private init; } = [];

    /// <summary>Notices duplicity prints for options given (deprecations, ignore-errors mode), in the order given.</summary>
    public IReadOnlyList<(OptionNotice Notice, string Option)> Notices { get; private init; } = [];

    /// <summary>--skip-volume: the volume whose upload is skipped (duplicity's testing option), or 0.</summary>
    public int SkipVolume { get; private init; }

    /// <summary>--fail-on-volume: the volume after which the backup stops with an assertion (testing), or 0.</summary>
    public int FailOnVolume { get; private init; }

    /// <summary>--copy-links: back up what symlinks point to.</summary>
    public bool CopyLinks { get; private init; }

    /// <summary>--rename FROM TO pairs (the last TO given for a FROM wins), applied on restore and verify.</summary>
    public IReadOnlyDictionary<string, string> Renames { get; private init; } = new Dictionary<string, string>();

    /// <summary>--ignore-errors: duplicity's mode turning some restore failures into warnings.</summary>
    public bool IgnoreErrors { get; private init; }

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
    /// <summary>
    /// Volumes uploading at once. duplicity's <c>--asynchronous-upload</c> overlaps one upload with building the
    /// next volume, which this console always does; the option raises it to <see cref="AsynchronousUploads"/>.
    /// </summary>
    public int UploadsInFlight { get; private init; } = 1;
    /// <summary>Uploads in flight with <c>--asynchronous-upload</c>: each costs a volume of temporary space.</summary>
    public const int AsynchronousUploads = 4;
    public IReadOnlyList<string> Recipients { get; private init; } = [];
    public IReadOnlyList<string> HiddenRecipients { get; private init; } = [];
    public string? SignKey { get; private init; }
    public FileSelection? Selection { get; private init; }
    public bool NoFilesChanged { get; private init; }
    public OwnershipRestore Ownership { get; private init; } = OwnershipRestore.ByName;
    /// <summary>
    /// The gpg program's settings when any of <c>--use-agent</c>, <c>--gpg-binary</c>, <c>--gpg-options</c>
    /// or <c>--encrypt-secret-keyring</c> is given (then gpg does the OpenPGP work, as in duplicity); else
    /// null and the in-process engine runs.
    /// </summary>
    public GnuPGOptions? GnuPG { get; private init; }

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

        var notices = new List<(OptionNotice, string)>();
        foreach (var (option, values) in o.Options)
        {
            switch (option.Name)
            {
                case "--time-separator":
                    if (values[0] == "-") throw new CommandLineException("Dash ('-') not valid for time-separator.", true);
                    notices.Add((OptionNotice.OldFilenames, option.Name));
                    break;
                case "--short-filenames" or "--old-filenames":
                    notices.Add((OptionNotice.OldFilenames, option.Name));
                    break;
                case "--include-filelist-stdin" or "--exclude-filelist-stdin":
                    notices.Add((OptionNotice.Stdin, option.Name));
                    break;
                case "--ignore-errors":
                    notices.Add((OptionNotice.IgnoreErrors, option.Name));
                    break;
                case "--ssl-no-check-certificate":
                    // duplicity turns certificate checks off for WebDAV and lftp (ftp, ftps, lftp+...) only. The FTP backend
                    // honours it too, with a loud warning; the WebDAV backend never accepts an untrusted certificate, so
                    // there the option is refused; elsewhere duplicity ignores it, and so does this console, saying so.
                    var urls = new[] { invocation.BackendUrl, invocation.SourceUrl }.OfType<string>().ToArray();
                    if (urls.Any(u => SchemeOf(u) is "webdav" or "webdavs" or "http" or "https" or "fish" or "lftp+webdav" or "lftp+webdavs"))
                        throw new DuplicityException(DuplicityErrorCode.NotImplemented,
                            "Option --ssl-no-check-certificate is not supported by this version of Duplicity for .NET with WebDAV: it never accepts an untrusted certificate there.");
                    notices.Add((urls.Any(u => SchemeOf(u) is "ftp" or "ftps" or "ftpes" or "lftp+ftp" or "lftp+ftps" or "lftp+ftpes")
                        ? OptionNotice.CertificatesNotChecked : OptionNotice.CertificatesStillChecked, option.Name));
                    break;
                case "--metadata-sync-mode" when values[0] is not ("full" or "partial"):
                    throw new CommandLineException($"option --metadata-sync-mode: invalid choice: '{values[0]}' (choose from 'full', 'partial')", true);
            }
        }
        // --rename maps an archive path FROM to the local path TO: restore writes FROM at TO, verify compares FROM
        // with the local TO (duplicity 0.8.22's verify leaves renames out, or fails on a local FROM). Listings do
        // not use it; duplicity's backup would read FROM at TO (dropping FROM, or failing), this console backs FROM up as it is.
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (option, values) in o.Options)
            if (option.Name == "--rename") renames[values[0]] = values[1];
        int skipVolume = 0, failOnVolume = 0;
        if (o.Last("--skip-volume") is { } sv && !int.TryParse(sv, out skipVolume))
            throw new CommandLineException($"option --skip-volume: invalid integer value: '{sv}'", true);
        if (o.Last("--fail-on-volume") is { } fv && !int.TryParse(fv, out failOnVolume))
            throw new CommandLineException($"option --fail-on-volume: invalid integer value: '{fv}'", true);

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
            Notices = notices,
            SkipVolume = skipVolume,
            FailOnVolume = failOnVolume,
            IgnoreErrors = o.Has("--ignore-errors"),
            CopyLinks = o.Has("--copy-links"),
            Renames = renames,
            Verbosity = o.Last("--verbosity") is { } verb ? ParseVerbosity(verb) : 3,
            ArchiveDirectory = o.Last("--archive-dir") is { } ad ? LocalPathExpansion.Expand(ad) : null,
            BackupName = o.Last("--name") ?? RepositoryOptions.DefaultNameFor(invocation.BackendUrl),
            Naming = new FileNamingOptions
            {
                FilePrefix = o.Last("--file-prefix") ?? "",
                ArchivePrefix = o.Last("--file-prefix-archive") ?? "",
                ManifestPrefix = o.Last("--file-prefix-manifest") ?? "",
                SignaturePrefix = o.Last("--file-prefix-signature") ?? "",
                ShortFilenames = o.Has("--short-filenames"),
                OldFilenames = o.Has("--old-filenames"),
                TimeSeparator = o.Last("--time-separator") is { Length: > 0 } separator ? separator[0] : ':',
            },
            VolumeSize = volsize * 1024 * 1024,
            UploadsInFlight = o.Has("--asynchronous-upload") ? AsynchronousUploads : 1,
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
            GnuPG = ParseGnuPG(o),
        };
    }

    private static GnuPGOptions? ParseGnuPG(ParsedCommandLine o)
    {
        if (!o.Has("--use-agent") && !o.Has("--gpg-binary") && !o.Has("--gpg-options") && !o.Has("--encrypt-secret-keyring")) return null;
        // duplicity joins every --gpg-options with a space and splits the result on white space (no quoting).
        var extra = string.Join(' ', o.All("--gpg-options")).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return new GnuPGOptions
        {
            BinaryPath = o.Last("--gpg-binary") is { } binary ? LocalPathExpansion.Expand(binary) : "gpg",
            ExtraArguments = extra,
            UseAgent = o.Has("--use-agent"),
            SecretKeyring = o.Last("--encrypt-secret-keyring"),
        };
    }

    private static string SchemeOf(string url)
    {
        int colon = url.IndexOf("://", StringComparison.Ordinal);
        return colon < 0 ? "" : url[..colon].ToLowerInvariant();
    }

    private OpenPgpKeyring? _keyring;

    /// <summary>The GnuPG home's keys (GNUPGHOME, else ~/.gnupg), loaded once when keys are needed; null when gpg itself looks them up.</summary>
    private async Task<OpenPgpKeyring?> KeyringAsync(CancellationToken cancellationToken) =>
        GnuPG != null ? null : _keyring ??= await OpenPgpKeyring.LoadGnuPGHomeAsync(null, cancellationToken);

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
        OpenPgpEngine = GnuPG != null ? OpenPgpEngine.GnuPGBinary : OpenPgpEngine.InProcess,
        GnuPG = GnuPG ?? new GnuPGOptions(),
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
            if (option.Name is "--include-filelist-stdin" or "--exclude-filelist-stdin")
            {
                // duplicity reads the list from standard input; /dev/stdin is that file.
                words.Add(option.Name == "--include-filelist-stdin" ? "--include-filelist" : "--exclude-filelist");
                words.Add("/dev/stdin");
                continue;
            }
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

/// <summary>A notice duplicity prints because an option was given.</summary>
internal enum OptionNotice
{
    /// <summary>--time-separator (and the other old file name options): pending deprecation.</summary>
    OldFilenames,
    /// <summary>--include-filelist-stdin / --exclude-filelist-stdin: pending deprecation.</summary>
    Stdin,
    /// <summary>--ignore-errors: running in ignore-errors mode.</summary>
    IgnoreErrors,
    /// <summary>--ssl-no-check-certificate with backends that still check certificates.</summary>
    CertificatesStillChecked,
    /// <summary>--ssl-no-check-certificate with the FTP backend, which honours it as duplicity's lftp backend does.</summary>
    CertificatesNotChecked,
}
