using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Duplicity.Backends.Rclone;

/// <summary>
/// Starts rclone: no shell, arguments as a list, the <c>RCLONE_*</c> variables of the open options as its
/// environment, standard error captured for the error message. Cancelling kills the process.
/// </summary>
internal sealed class RcloneRunner
{
    // Variables rclone reads its configuration from; they come from BackendOpenOptions.Environment only.
    private const string RclonePrefix = "RCLONE_";
    private static readonly string[] PassedThrough = ["HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"];

    private readonly RcloneBackendOptions _options;
    private readonly BackendOpenOptions _open;
    private readonly ILogger _logger;

    public RcloneRunner(RcloneBackendOptions options, BackendOpenOptions open, ILogger logger)
    {
        _options = options;
        _open = open;
        _logger = logger;
    }

    /// <summary>Runs one command to its end; its standard output is returned whole (only small outputs: listings).</summary>
    /// <param name="operation">What is being done, for messages (no secrets).</param>
    /// <param name="arguments">The rclone command and its arguments.</param>
    /// <param name="input">Copied to rclone's standard input, then closed; null gives it an empty input.</param>
    /// <param name="cancellationToken">Kills rclone.</param>
    public async Task<RcloneResult> RunAsync(string operation, IReadOnlyList<string> arguments, Stream? input, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var process = Start(operation, arguments);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var stdout = new MemoryStream();
        var stdoutCopy = process.StandardOutput.BaseStream.CopyToAsync(stdout, CancellationToken.None);
        using (cancellationToken.Register(static p => Kill((Process)p!), process))
        {
            Exception? inputFailure = null;
            if (input is not null)
                inputFailure = await FeedAsync(input, process, cancellationToken).ConfigureAwait(false);
            else
                process.StandardInput.Close();
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await stdoutCopy.ConfigureAwait(false);
            var error = await stderr.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (inputFailure is not null)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inputFailure);
            RcloneLog.Finished(_logger, arguments[0], process.ExitCode);
            return new RcloneResult(process.ExitCode, stdout.ToArray(), error);
        }
    }

    // Copies the source to rclone's input. A failing source (or a cancel) kills rclone, so it cannot finish
    // the file with what it got; rclone closing its input is not an error here: its exit code says why.
    private static async Task<Exception?> FeedAsync(Stream input, Process process, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1024 * 1024);
        try
        {
            var stdin = process.StandardInput.BaseStream;
            while (true)
            {
                int read;
                try
                {
                    read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    Kill(process);
                    return e;
                }
                if (read == 0)
                    break;
                try
                {
                    await stdin.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException e)
                {
                    Kill(process);
                    return e;
                }
                catch (IOException)
                {
                    return null;
                }
            }
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // rclone already stopped reading.
            }
            return null;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Starts rclone with its standard input, output and error redirected.</summary>
    /// <param name="operation">What is being done, for messages (no secrets).</param>
    /// <param name="arguments">The rclone command and its arguments.</param>
    public Process Start(string operation, IReadOnlyList<string> arguments)
    {
        var psi = new ProcessStartInfo(_options.Executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(arguments[0]);
        if (_options.ConfigFile is { } config)
        {
            psi.ArgumentList.Add("--config");
            psi.ArgumentList.Add(config);
        }
        foreach (var extra in _options.ExtraArguments)
            psi.ArgumentList.Add(extra);
        for (var i = 1; i < arguments.Count; i++)
            psi.ArgumentList.Add(arguments[i]);
        SetEnvironment(psi);

        // Only the command and the paths: flags may carry values the host considers private.
        RcloneLog.Starting(_logger, arguments[0], operation);
        try
        {
            return Process.Start(psi) ?? throw new BackendException(BackendErrorKind.Permanent, $"rclone could not be started for the {operation}");
        }
        catch (Win32Exception e)
        {
            throw new BackendException(BackendErrorKind.Permanent,
                $"rclone not found: please install rclone ('{_options.Executable}' could not be started: {e.Message})", e);
        }
    }

    /// <summary>Kills a running rclone; an already finished one is left alone.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended meanwhile.
        }
        catch (Win32Exception)
        {
            // It ended meanwhile, or cannot be signalled any more.
        }
    }

    private void SetEnvironment(ProcessStartInfo psi)
    {
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith(RclonePrefix, StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(key);
        foreach (var (key, value) in _open.Environment)
        {
            if (value is null)
                continue;
            if (key.StartsWith(RclonePrefix, StringComparison.OrdinalIgnoreCase) || PassedThrough.Contains(key, StringComparer.Ordinal))
                psi.Environment[key] = value;
        }
    }
}

/// <summary>The end of an rclone run.</summary>
/// <param name="ExitCode">rclone's exit code.</param>
/// <param name="StandardOutput">What it printed.</param>
/// <param name="StandardError">Its messages.</param>
internal sealed record RcloneResult(int ExitCode, byte[] StandardOutput, string StandardError);
