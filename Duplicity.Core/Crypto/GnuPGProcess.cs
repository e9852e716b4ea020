using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Duplicity.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Duplicity.Crypto;

/// <summary>
/// One gpg child process: started without a shell from an argument list, the passphrase (if any)
/// written as the first line of its stdin (gpg reads <c>--passphrase-fd 0</c> before the data), stderr
/// drained into <see cref="GnuPGDiagnostics"/>. The exit code is checked only once the data has all
/// passed, so a failing gpg is an error, never a silently short stream.
/// </summary>
internal sealed class GnuPGProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<GnuPGDiagnostics> _diagnostics;
    private readonly ILogger _logger;
    private readonly string _binary;
    private int _killed;

    private GnuPGProcess(Process process, string binary, string operation, ILogger logger)
    {
        _process = process;
        _binary = binary;
        Operation = operation;
        _logger = logger;
        _diagnostics = Task.Run(() => GnuPGDiagnostics.ReadAsync(process.StandardError));
    }

    /// <summary>"encrypt" or "decrypt", for messages.</summary>
    public string Operation { get; }

    /// <summary>gpg's stdin (the data to work on).</summary>
    public Stream Input => _process.StandardInput.BaseStream;

    /// <summary>gpg's stdout (the result).</summary>
    public Stream Output => _process.StandardOutput.BaseStream;

    /// <summary>Starts gpg; <paramref name="passphrase"/> (without a line break) goes first on its stdin.</summary>
    public static GnuPGProcess Start(GnuPGOptions gnupg, string operation, IReadOnlyList<string> arguments, string? passphrase, ILogger logger)
    {
        if (passphrase != null && passphrase.AsSpan().IndexOfAny('\n', '\r') >= 0)
            throw new DuplicityException(DuplicityErrorCode.GpgFailed, "GPG error: a passphrase with a line break cannot be passed to gpg");
        var start = new ProcessStartInfo(gnupg.BinaryPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        // duplicity's passphrase variables stay in this process: gpg gets the passphrase on its stdin only.
        start.Environment.Remove("PASSPHRASE");
        start.Environment.Remove("SIGN_PASSPHRASE");
        var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new DuplicityException(DuplicityErrorCode.GpgFailed, $"GPG error: cannot run '{gnupg.BinaryPath}': {e.Message}", e);
        }
        CryptoLog.GnuPGStarted(logger, gnupg.BinaryPath, operation, process.Id);
        var run = new GnuPGProcess(process, gnupg.BinaryPath, operation, logger);
        if (passphrase != null)
        {
            // Small enough for the pipe's buffer, and gpg reads it before anything else.
            var line = Encoding.UTF8.GetBytes(passphrase + "\n");
            try
            {
                run.Input.Write(line);
                run.Input.Flush();
            }
            catch (IOException)
            {
                // gpg is already gone; its exit code and log say why when the caller finishes.
            }
            finally
            {
                Array.Clear(line);
            }
        }
        return run;
    }

    /// <summary>Stops gpg at once (cancellation, or a reader that stopped early); its output is discarded.</summary>
    public void Kill()
    {
        if (Interlocked.Exchange(ref _killed, 1) != 0) return;
        try
        {
            if (!_process.HasExited) _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
        catch (Win32Exception)
        {
            // already exiting
        }
    }

    /// <summary>True once <see cref="Kill"/> ran.</summary>
    public bool WasKilled => Volatile.Read(ref _killed) != 0;

    /// <summary>Waits for gpg to exit; throws the typed error when it failed.</summary>
    public async Task<GnuPGDiagnostics> WaitForSuccessAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var diagnostics = await _diagnostics.ConfigureAwait(false);
        return Check(diagnostics);
    }

    /// <summary>As <see cref="WaitForSuccessAsync"/>, blocking (for a synchronous Dispose or Read).</summary>
    public GnuPGDiagnostics WaitForSuccess()
    {
        _process.WaitForExit();
        return Check(_diagnostics.GetAwaiter().GetResult());
    }

    private GnuPGDiagnostics Check(GnuPGDiagnostics diagnostics)
    {
        int code = _process.ExitCode;
        CryptoLog.GnuPGExited(_logger, _binary, Operation, code);
        if (code != 0) throw diagnostics.ToException(Operation, code);
        return diagnostics;
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }
}
