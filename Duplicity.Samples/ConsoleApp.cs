using Duplicity.Backends;
using Duplicity.Samples.CommandLine;
using Duplicity.Samples.Commands;

namespace Duplicity.Samples;

/// <summary>Runs one duplicity command line and maps every outcome to duplicity's exit code.</summary>
internal static class ConsoleApp
{
    public const string Version = "0.8.22";

    /// <param name="environment">Where backends read credentials (FTP_PASSWORD, AWS_*, SWIFT_*); null = the process environment.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        try
        {
            var parsed = OptionParser.Parse(args);
            if (parsed.Has("--version")) { stdout.WriteLine($"duplicity {Version}"); return 0; }
            if (parsed.Has("--help")) { stdout.Write(HelpText.Text); return 0; }
            var invocation = Invocation.Interpret(parsed);
            var settings = ConsoleSettings.From(invocation);
            using var loggerFactory = new ConsoleLoggerFactory(stdout, stderr, settings.Verbosity);
            var backends = BackendFactory.From(invocation.Options, settings.VolumeSize);
            var open = environment is null ? new BackendOpenOptions() : new BackendOpenOptions { Environment = environment };
            await using var backend = backends.Open(invocation.BackendUrl, open, loggerFactory);
            return invocation.Action switch
            {
                ActionKind.Full or ActionKind.Incremental or ActionKind.AutoBackup =>
                    await BackupCommand.RunAsync(invocation, settings, backend, loggerFactory, stdout, cancel.Token),
                ActionKind.Restore => await RestoreCommand.RunAsync(invocation, settings, backend, loggerFactory, stdout, cancel.Token),
                ActionKind.RemoveOlderThan or ActionKind.RemoveAllButNFull or ActionKind.RemoveAllIncOfButNFull =>
                    await RetentionCommands.RemoveAsync(invocation, settings, backend, loggerFactory, cancel.Token),
                ActionKind.Cleanup => await RetentionCommands.CleanupAsync(settings, backend, loggerFactory, cancel.Token),
                ActionKind.Verify => await VerifyCommand.RunAsync(invocation, settings, backend, loggerFactory, cancel.Token),
                ActionKind.CollectionStatus when FileChangesCommand.IsRequested(invocation) =>
                    await FileChangesCommand.RunAsync(invocation, settings, backend, loggerFactory, stdout, cancel.Token),
                ActionKind.CollectionStatus => await StatusCommands.CollectionStatusAsync(settings, backend, loggerFactory, stdout, cancel.Token),
                ActionKind.ListCurrentFiles => await StatusCommands.ListCurrentFilesAsync(settings, backend, loggerFactory, stdout, cancel.Token),
                ActionKind.Replicate => await ReplicateCommand.RunAsync(invocation, settings, url => backends.Open(url, open, loggerFactory), backend, loggerFactory, cancel.Token),
                _ => throw new DuplicityException(DuplicityErrorCode.NotImplemented,
                    $"The {invocation.Action} command is not supported yet by this version of Duplicity for .NET."),
            };
        }
        catch (CommandLineException e) when (e.OptionParserStyle)
        {
            stderr.WriteLine(HelpText.Usage);
            stderr.WriteLine();
            stderr.WriteLine($"duplicity: error: {e.Message}");
            return 2;
        }
        catch (CommandLineException e)
        {
            stderr.WriteLine($"Command line error: {e.Message}");
            stderr.WriteLine("Enter 'duplicity --help' for help screen.");
            return 2;
        }
        catch (DuplicityException e)
        {
            stderr.WriteLine(BackendUrl.Redact(e.Message));
            return (int)e.Code;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("INT intercepted...exiting.");
            return 4;
        }
        catch (Exception e)
        {
            stderr.WriteLine(BackendUrl.Redact(e.ToString()));
            return 30;
        }
    }
}
