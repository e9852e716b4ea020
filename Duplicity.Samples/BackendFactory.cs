using System.Globalization;
using Duplicity.Backends;
using Duplicity.Backends.Azure;
using Duplicity.Backends.Par2;
using Duplicity.Backends.Rclone;
using Duplicity.Backends.Ftp;
using Duplicity.Backends.Retry;
using Duplicity.Backends.S3;
using Duplicity.Backends.Ssh;
using Duplicity.Backends.Swift;
using Duplicity.Backends.WebDav;
using Duplicity.Samples.CommandLine;

namespace Duplicity.Samples;

/// <summary>
/// duplicity's backend options turned into the backends' settings, and the backend of a command line opened
/// with them: <c>--ssh-options</c>, <c>--s3-*</c>, <c>--mp-segment-size</c>, <c>--swift-storage-policy</c>,
/// <c>--ssl-cacert-file</c>/<c>--ssl-cacert-path</c> (WebDAV, FTP), <c>--ftp-passive</c>/<c>--ftp-regular</c>, <c>--ssl-no-check-certificate</c> (FTP), <c>--azure-*</c>, <c>--timeout</c>, <c>--par2-redundancy</c>/<c>--par2-volumes</c>/<c>--par2-options</c> for the <c>par2+</c> wrapper, and <c>--num-retries</c>/<c>--backend-retry-delay</c> for the retrying wrapper.
/// </summary>
internal sealed class BackendFactory
{
    private const long MiB = 1024 * 1024;

    // duplicity's mp_factor: without --mp-segment-size, Swift segments files of 1.1 x --volsize and more.
    private const double SegmentFactor = 1.1;

    // Where duplicity's webdavs backend looks for a CA file when --ssl-cacert-file is not given, in this order.
    private static readonly string[] CaCertificateCandidates = ["~/.duplicity/cacert.pem", "~/duplicity_cacert.pem", "/etc/duplicity/cacert.pem"];

    private BackendFactory(SshBackendOptions ssh, S3BackendOptions s3, SwiftBackendOptions swift, WebDavBackendOptions webDav, AzureBackendOptions azure, Par2BackendOptions par2, FtpBackendOptions ftp, RetryOptions retry)
    {
        Azure = azure;
        Par2 = par2;
        Ftp = ftp;
        Ssh = ssh;
        S3 = s3;
        Swift = swift;
        WebDav = webDav;
        Retry = retry;
    }

    public SshBackendOptions Ssh { get; }
    public S3BackendOptions S3 { get; }
    public SwiftBackendOptions Swift { get; }
    public WebDavBackendOptions WebDav { get; }
    public AzureBackendOptions Azure { get; }
    public Par2BackendOptions Par2 { get; }
    public FtpBackendOptions Ftp { get; }
    public RetryOptions Retry { get; }

    /// <summary>Reads the options; bad numbers and contradicting S3 options are command-line errors (exit 2).</summary>
    /// <param name="o">The parsed command line.</param>
    /// <param name="volumeSize">The volume size in bytes (Swift's default segment size derives from it).</param>
    public static BackendFactory From(ParsedCommandLine o, long volumeSize)
    {
        TimeSpan? timeout = o.Last("--timeout") is { } t ? TimeSpan.FromSeconds(Integer("--timeout", t, min: 1)) : null;

        var ssh = new SshBackendOptions();
        // duplicity's --ssh-options "extends": every occurrence counts.
        foreach (var value in o.All("--ssh-options"))
            ssh.SshOptions.Add(value);
        if (timeout is { } sshTimeout)
        {
            ssh.ConnectTimeout = sshTimeout;
            ssh.OperationTimeout = sshTimeout;
        }

        var s3 = new S3BackendOptions
        {
            EndpointUrl = o.Last("--s3-endpoint-url"),
            RegionName = o.Last("--s3-region-name"),
            UseInfrequentAccess = o.Has("--s3-use-ia"),
            UseGlacier = o.Has("--s3-use-glacier"),
            UseGlacierInstantRetrieval = o.Has("--s3-use-glacier-ir"),
            UseDeepArchive = o.Has("--s3-use-deep-archive"),
            UseOneZoneInfrequentAccess = o.Has("--s3-use-onezone-ia"),
            UseReducedRedundancy = o.Has("--s3-use-rrs"),
            UseServerSideEncryption = o.Has("--s3-use-server-side-encryption"),
            UseServerSideKmsEncryption = o.Has("--s3-use-server-side-kms-encryption"),
            KmsKeyId = o.Last("--s3-kms-key-id"),
            KmsGrant = o.Last("--s3-kms-grant"),
            UnencryptedConnection = o.Has("--s3-unencrypted-connection"),
            Timeout = timeout,
            ReadTimeout = timeout ?? new S3BackendOptions().ReadTimeout,
        };
        if (o.Last("--s3-multipart-chunk-size") is { } chunk)
            s3.MultipartChunkSize = Integer("--s3-multipart-chunk-size", chunk, min: 1) * MiB;
        if (o.Last("--s3-multipart-max-procs") is { } procs)
            s3.MultipartMaxConcurrency = Integer("--s3-multipart-max-procs", procs, min: 1);
        try
        {
            s3.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CommandLineException(e.Message);
        }

        long segmentSize = o.Last("--mp-segment-size") is { } mp
            ? Integer("--mp-segment-size", mp, min: 0) * MiB
            : (long)(SegmentFactor * volumeSize);
        var swift = new SwiftBackendOptions
        {
            SegmentSize = segmentSize,
            StoragePolicy = o.Last("--swift-storage-policy"),
            RequestTimeout = timeout ?? new SwiftBackendOptions().RequestTimeout,
            ReadTimeout = timeout ?? new SwiftBackendOptions().ReadTimeout,
        };

        var webDav = new WebDavBackendOptions
        {
            CaCertificateFile = o.Last("--ssl-cacert-file") is { } caFile ? ExpandHome(caFile) : DefaultCaCertificateFile(),
            CaCertificatePath = o.Last("--ssl-cacert-path") is { } caPath ? ExpandHome(caPath) : null,
            RequestTimeout = timeout ?? new WebDavBackendOptions().RequestTimeout,
            ReadTimeout = timeout ?? new WebDavBackendOptions().ReadTimeout,
        };
        var azure = AzureOptions(o, timeout);
        // duplicity hands --par2-options to par2 inside a command line, so it is split into words like one.
        var par2 = new Par2BackendOptions { TempDirectory = o.Last("--tempdir") };
        if (o.Last("--par2-redundancy") is { } redundancy)
            par2.Redundancy = Integer("--par2-redundancy", redundancy, min: 0);
        if (o.Last("--par2-volumes") is { } volumes)
            par2.Volumes = Integer("--par2-volumes", volumes, min: 1);
        if (o.Last("--par2-options") is { } par2Options)
        {
            foreach (var word in CommandWords.Split(par2Options))
                par2.ExtraArguments.Add(word);
        }
        try
        {
            par2.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CommandLineException(e.Message);
        }

        // --ftp-passive and --ftp-regular store into one setting: the last one given wins, passive by default.
        var ftpMode = o.Options.LastOrDefault(x => x.Option.Name is "--ftp-passive" or "--ftp-regular").Option?.Name;
        var ftp = new FtpBackendOptions
        {
            Passive = ftpMode != "--ftp-regular",
            CaCertificateFile = o.Last("--ssl-cacert-file"),
            SkipCertificateCheck = o.Has("--ssl-no-check-certificate"),
            Timeout = timeout ?? new FtpBackendOptions().Timeout,
        };
        try
        {
            ftp.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CommandLineException(e.Message);
        }

        // duplicity waits the same --backend-retry-delay before every retry; so does the console.
        var retry = new RetryOptions
        {
            NumRetries = o.Last("--num-retries") is { } n ? Integer("--num-retries", n, min: 1) : 5,
            BackendRetryDelay = TimeSpan.FromSeconds(o.Last("--backend-retry-delay") is { } d ? Integer("--backend-retry-delay", d, min: 0) : 30),
            ExponentialBackoff = false,
            JitterRatio = 0,
            TempDirectory = o.Last("--tempdir"),
        };
        return new BackendFactory(ssh, s3, swift, webDav, azure, par2, ftp, retry);
    }

    private static string? DefaultCaCertificateFile() =>
        CaCertificateCandidates.Select(ExpandHome).FirstOrDefault(File.Exists);

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..]
            : path;

    /// <summary>A registry with every backend this console knows, configured from the options.</summary>
    public BackendRegistry CreateRegistry() =>
        new BackendRegistry().AddFileSystem().AddSsh(Ssh).AddS3(S3).AddSwift(Swift).AddWebDav(WebDav).AddAzure(Azure).AddRclone().AddFtp(Ftp).AddPar2(Par2);

    /// <summary>Opens the backend of <paramref name="url"/>, wrapped so its calls are retried as duplicity retries them.</summary>
    /// <param name="url">The backend URL.</param>
    /// <param name="open">The environment credentials come from (FTP_PASSWORD, AWS_*, SWIFT_*), the logger factory
    /// the backend and the retry warnings go to, and the clock the retry waits use.</param>
    public IBackend Open(string url, BackendOpenOptions open)
    {
        var inner = CreateRegistry().Open(url, open);
        // Test only (Duplicity.Tests/Faults): a SIGKILL at a named call, when DUPLICITY_NET_TEST_CRASH_POINT is set.
        if (TestHooks.CrashPoint.FromEnvironment() is { } crashPoint)
            inner = new TestHooks.CrashPointBackend(inner, crashPoint);
        return new RetryingBackend(inner, Retry, open.TimeProvider, open.LoggerFactory);
    }

    // duplicity's --azure-* options, in the SDK's units (bytes); its backend passes --azure-max-single-put-size
    // where --azure-max-block-size belongs, a slip not copied here: the block size is the block size.
    private static AzureBackendOptions AzureOptions(ParsedCommandLine o, TimeSpan? timeout)
    {
        var azure = new AzureBackendOptions { Timeout = timeout };
        if (o.Last("--azure-blob-tier") is { } tier)
            azure.BlobTier = new Azure.Storage.Blobs.Models.AccessTier(tier);
        if (o.Last("--azure-max-single-put-size") is { } single)
            azure.MaxSinglePutSize = Integer("--azure-max-single-put-size", single, min: 1);
        if (o.Last("--azure-max-block-size") is { } block)
            azure.MaxBlockSize = Integer("--azure-max-block-size", block, min: 1);
        if (o.Last("--azure-max-connections") is { } connections)
            azure.MaxConnections = Integer("--azure-max-connections", connections, min: 1);
        try
        {
            azure.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CommandLineException(e.Message);
        }
        return azure;
    }

    // Ints, as optparse's type="int" (and MiB values times 1 MiB still fit a long).
    private static int Integer(string name, string value, int min)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            throw new CommandLineException($"option {name}: invalid integer value: '{value}'", true);
        if (number < min)
            throw new CommandLineException($"option {name}: the value must be at least {min}: '{value}'", true);
        return number;
    }
}
