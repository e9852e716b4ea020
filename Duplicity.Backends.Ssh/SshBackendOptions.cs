namespace Duplicity.Backends.Ssh;

/// <summary>
/// Settings of the SFTP backend beyond its URL: duplicity's <c>--ssh-options</c>, extra identity files and
/// the known-hosts file. Defaults follow OpenSSH: <c>~/.ssh/id_ed25519</c>, <c>~/.ssh/id_rsa</c>,
/// <c>~/.ssh/id_ecdsa</c> and <c>~/.ssh/known_hosts</c>.
/// </summary>
public sealed class SshBackendOptions
{
    /// <summary>
    /// duplicity's <c>--ssh-options</c> values, each holding one or more options as on ssh's command line:
    /// <c>-oIdentityFile=/path/key</c>, <c>-i /path/key</c>, <c>-oPort=2222</c>,
    /// <c>-oUserKnownHostsFile=/path/known_hosts</c> (also <c>-o Name=Value</c> and quoted values).
    /// Other options are ignored.
    /// </summary>
    public IList<string> SshOptions { get; } = new List<string>();

    /// <summary>Private key files tried before those named in <see cref="SshOptions"/> and the defaults.</summary>
    public IList<string> IdentityFiles { get; } = new List<string>();

    /// <summary>
    /// The known-hosts file the server's host key is checked against; overrides
    /// <c>-oUserKnownHostsFile=</c> and <c>~/.ssh/known_hosts</c>. A host that is not listed is refused.
    /// </summary>
    public string? KnownHostsFile { get; set; }

    /// <summary>
    /// Whether the OpenSSH default keys in <c>~/.ssh</c> are tried after the configured ones. Default true.
    /// </summary>
    public bool UseDefaultIdentityFiles { get; set; } = true;

    /// <summary>How long connecting (TCP, key exchange, authentication) may take. Default 30 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one SFTP request may wait for its answer. Default 60 seconds.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Copies the settings, so a registered backend is not affected by later changes.</summary>
    internal SshBackendOptions Clone()
    {
        var copy = new SshBackendOptions
        {
            KnownHostsFile = KnownHostsFile,
            UseDefaultIdentityFiles = UseDefaultIdentityFiles,
            ConnectTimeout = ConnectTimeout,
            OperationTimeout = OperationTimeout,
        };
        foreach (var option in SshOptions)
            copy.SshOptions.Add(option);
        foreach (var file in IdentityFiles)
            copy.IdentityFiles.Add(file);
        return copy;
    }
}
