using System.Runtime.InteropServices;
using Duplicity.Backends;
using Duplicity.Repository;
using Duplicity.Samples.CommandLine;
using Duplicity.Samples.Commands;

namespace Duplicity.Samples;

/// <summary>Runs one duplicity command line and maps every outcome to duplicity's exit code.</summary>
internal static class ConsoleApp
{
    public const string Version = "0.8.22";

    /// <summary>The exit status of a process killed by SIGTERM, as a shell reports it.</summary>
    public const int TerminatedExitCode = 128 + 15;

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, stdout, stderr, null, CancellationToken.None);

    /// <summary>Runs a command line; <paramref name="cancellationToken"/> acts as Ctrl-C does (exit 4).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        RunAsync(args, stdout, stderr, null, cancellationToken);

    /// <summary>Runs a command line.</summary>
    /// <param name="args">duplicity's arguments, without the program name.</param>
    /// <param name="stdout">Where duplicity's standard output goes.</param>
    /// <param name="stderr">Where duplicity's standard error goes.</param>
    /// <param name="environment">Where backends read credentials (FTP_PASSWORD, AWS_*, SWIFT_*); null = the process environment.</param>
    /// <param name="cancellationToken">Acts as Ctrl-C does (exit 4).</param>
    /// <returns>duplicity's exit code.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr,
        IReadOnlyDictionary<string, string?>? environment, CancellationToken cancellationToken = default)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCtrlC = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCtrlC;
        // SIGTERM stops the run as Ctrl-C does, so the partial manifest stays resumable, but ends the
        // way duplicity ends: it has no handler and dies of the signal, exit status 128 + 15, silently.
        bool terminated = false;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            terminated = true;
            cancel.Cancel();
        });
        // Set once the output options are read, so that fatal errors reach the machine log too.
        ConsoleLoggerFactory? output = null;
        try
        {
            var parsed = OptionParser.Parse(args);
            if (parsed.Has("--version")) { await stdout.WriteLineAsync($"duplicity {Version}"); return 0; }
            if (parsed.Has("--help")) { await stdout.WriteAsync(HelpText.Text); return 0; }
            var invocation = Invocation.Interpret(parsed);
            var settings = ConsoleSettings.From(invocation);
            var loggerFactory = output = ConsoleLoggerFactory.Open(parsed, stdout, stderr, settings.Verbosity);
            var consoleLogger = loggerFactory.CreateLogger("Duplicity.Samples");
            foreach (var (notice, option) in settings.Notices) OptionNotices.Log(consoleLogger, notice, option);
            foreach (var (option, backendName) in settings.IgnoredOptions) Output.ConsoleLog.OptionIgnored(consoleLogger, option, backendName);
            var backends = BackendFactory.From(invocation.Options, settings.VolumeSize);
            // Backends log through the console too: their connects and uploads show from -v info up.
            var open = environment is null
                ? new BackendOpenOptions { LoggerFactory = loggerFactory }
                : new BackendOpenOptions { Environment = environment, LoggerFactory = loggerFactory };
            await using var backend = TestingVolumeBackend.Wrap(backends.Open(invocation.BackendUrl, open), settings.SkipVolume, settings.FailOnVolume);
            if (invocation.Action == ActionKind.Replicate)
                return await ReplicateCommand.RunAsync(invocation, settings, url => backends.Open(url, open), backend, loggerFactory, cancel.Token);
            if (invocation.Action is not (ActionKind.Full or ActionKind.Incremental or ActionKind.AutoBackup or ActionKind.Restore
                or ActionKind.RemoveOlderThan or ActionKind.RemoveAllButNFull or ActionKind.RemoveAllIncOfButNFull or ActionKind.Cleanup
                or ActionKind.Verify or ActionKind.CollectionStatus or ActionKind.ListCurrentFiles))
                throw new DuplicityException(DuplicityErrorCode.NotImplemented,
                    $"The {invocation.Action} command is not supported yet by this version of Duplicity for .NET.");
            // As duplicity, the archive dir's lock is held for the whole command.
            var repository = await BackupRepository.OpenAsync(backend, await settings.RepositoryOptionsAsync(invocation.Action, cancel.Token), loggerFactory, cancel.Token);
            await using (repository)
            {
                return invocation.Action switch
                {
                    ActionKind.Full or ActionKind.Incremental or ActionKind.AutoBackup =>
                        await BackupCommand.RunAsync(invocation, settings, repository, loggerFactory, cancel.Token),
                    ActionKind.Restore => await RestoreCommand.RunAsync(invocation, settings, repository, loggerFactory, cancel.Token),
                    ActionKind.RemoveOlderThan or ActionKind.RemoveAllButNFull or ActionKind.RemoveAllIncOfButNFull =>
                        await RetentionCommands.RemoveAsync(invocation, settings, repository, loggerFactory, cancel.Token),
                    ActionKind.Cleanup => await RetentionCommands.CleanupAsync(settings, repository, loggerFactory, cancel.Token),
                    ActionKind.Verify => await VerifyCommand.RunAsync(invocation, settings, repository, cancel.Token),
                    ActionKind.CollectionStatus when FileChangesCommand.IsRequested(invocation) =>
                        await FileChangesCommand.RunAsync(invocation, settings, repository, loggerFactory, stdout, cancel.Token),
                    ActionKind.CollectionStatus => await StatusCommands.CollectionStatusAsync(repository, loggerFactory, cancel.Token),
                    _ => await StatusCommands.ListCurrentFilesAsync(settings, repository, loggerFactory, cancel.Token),
                };
            }
        }
        catch (CommandLineException e) when (e.OptionParserStyle)
        {
            await stderr.WriteLineAsync(HelpText.Usage);
            await stderr.WriteLineAsync();
            await stderr.WriteLineAsync($"duplicity: error: {e.Message}");
            return 2;
        }
        catch (CommandLineException e)
        {
            await stderr.WriteLineAsync($"Command line error: {e.Message}");
            await stderr.WriteLineAsync("Enter 'duplicity --help' for help screen.");
            return 2;
        }
        catch (Exception) when (cancel.IsCancellationRequested && terminated)
        {
            return TerminatedExitCode;
        }
        catch (Exception) when (cancel.IsCancellationRequested)
        {
            // Ctrl-C: duplicity's KeyboardInterrupt exit, whatever the interrupted operation threw.
            return Fail(output, stderr, 4, "INT intercepted...exiting.");
        }
        catch (DuplicityException e)
        {
            return Fail(output, stderr, (int)e.Code, BackendUrl.Redact(Output.ErrorWording.Text(e)));
        }
        catch (Exception e)
        {
            return Fail(output, stderr, 30, BackendUrl.Redact(e.ToString()));
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
            output?.Dispose();
        }
    }

    private static int Fail(ConsoleLoggerFactory? output, TextWriter stderr, int code, string message)
    {
        if (output != null) output.Write(0, code, null, message, forcePrint: true);
        else stderr.WriteLine(message);
        return code;
    }
}
