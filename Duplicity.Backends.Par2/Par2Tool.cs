using System.ComponentModel;
using System.Diagnostics;

namespace Duplicity.Backends.Par2;

/// <summary>Runs the par2 program in a folder (no shell, arguments as a list); cancelling kills it.</summary>
internal sealed class Par2Tool
{
    private readonly Par2BackendOptions _options;

    public Par2Tool(Par2BackendOptions options)
    {
        _options = options;
    }

    /// <summary><c>par2 c -rR -nV [options] -q -q -- name</c>: the exit code (0 when the recovery files were made).</summary>
    public Task<int> CreateAsync(string folder, string name, int volumes, CancellationToken cancellationToken) =>
        RunAsync(folder, ["c", $"-r{_options.Redundancy}", $"-n{volumes}", .. Common(), "--", name], cancellationToken);

    /// <summary><c>par2 v [options] -q -q -- name.par2 name</c>: 0 when the file is intact.</summary>
    public Task<int> VerifyAsync(string folder, string name, CancellationToken cancellationToken) =>
        RunAsync(folder, ["v", .. Common(), "--", Par2FileNames.Index(name), name], cancellationToken);

    /// <summary><c>par2 r [options] -q -q -- name.par2 name</c>: 0 when the file was repaired (or was intact).</summary>
    public Task<int> RepairAsync(string folder, string name, CancellationToken cancellationToken) =>
        RunAsync(folder, ["r", .. Common(), "--", Par2FileNames.Index(name), name], cancellationToken);

    private List<string> Common() => [.. _options.ExtraArguments, "-q", "-q"];

    private async Task<int> RunAsync(string folder, List<string> arguments, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var psi = new ProcessStartInfo(_options.Executable)
        {
            UseShellExecute = false,
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
            psi.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new BackendException(BackendErrorKind.Permanent, "par2 could not be started");
        }
        catch (Win32Exception e)
        {
            throw new BackendException(BackendErrorKind.Permanent,
                $"par2 not found: please install par2 ('{_options.Executable}' could not be started: {e.Message})", e);
        }
        using (process)
        {
            process.StandardInput.Close();
            // par2 is quiet with -q -q; its output is read only so that it never blocks on a full pipe.
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It ended meanwhile.
                }
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                throw;
            }
            await stdout.ConfigureAwait(false);
            await stderr.ConfigureAwait(false);
            return process.ExitCode;
        }
    }
}
