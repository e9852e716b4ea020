namespace Duplicity.Backends.Ssh;

/// <summary>Registers the <see cref="SftpBackend"/> with a <see cref="BackendRegistry"/>.</summary>
public static class SshRegistration
{
    /// <summary>The URL schemes served by <see cref="SftpBackend"/>, as duplicity names them.</summary>
    public static IReadOnlyList<string> Schemes { get; } =
        ["sftp", "scp", "ssh", "paramiko+sftp", "paramiko+scp", "pexpect+sftp", "pexpect+scp"];

    /// <summary>
    /// Registers <c>sftp</c>, <c>scp</c>, <c>ssh</c>, <c>paramiko+sftp</c>, <c>paramiko+scp</c>,
    /// <c>pexpect+sftp</c> and <c>pexpect+scp</c>. All of them use SFTP.
    /// </summary>
    /// <param name="registry">The registry to add to.</param>
    /// <param name="options">Keys, known-hosts file and <c>--ssh-options</c>; copied now, later changes are not seen.</param>
    /// <returns>The registry, for chaining.</returns>
    public static BackendRegistry AddSsh(this BackendRegistry registry, SshBackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var snapshot = (options ?? new SshBackendOptions()).Clone();
        foreach (var scheme in Schemes)
            registry.Register(scheme, (url, open) => SftpBackend.Open(url, open, snapshot));
        return registry;
    }
}
