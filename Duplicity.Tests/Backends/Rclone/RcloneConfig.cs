using Duplicity.Backends;
using Duplicity.Backends.Rclone;
using Duplicity.Tests.Backends.Ssh;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Backends.Rclone;

/// <summary>A throw-away rclone configuration file: a <c>local</c> remote, and an <c>sftp</c> remote on a test sshd.</summary>
internal sealed class RcloneConfig
{
    public const string LocalRemote = "loc";
    public const string SftpRemote = "sshtest";

    private RcloneConfig(string path)
    {
        Path = path;
    }

    /// <summary>The configuration file.</summary>
    public string Path { get; }

    /// <summary>Writes a configuration into <paramref name="folder"/>; with a server, it has an sftp remote to it.</summary>
    public static RcloneConfig Write(string folder, SshServerFixture? server = null)
    {
        ExternalTool.Require("rclone");
        Directory.CreateDirectory(folder);
        var text = $"[{LocalRemote}]\ntype = local\n";
        if (server is not null)
        {
            // No shell commands on the server (its test user has none to spare) and no remote hashing.
            text += $"\n[{SftpRemote}]\ntype = sftp\nhost = 127.0.0.1\nport = {server.Port}\nuser = {server.User}\n" +
                    $"key_file = {server.KeyEd25519}\nknown_hosts_file = {server.KnownHosts}\nshell_type = none\n" +
                    "md5sum_command = none\nsha1sum_command = none\n";
        }
        var path = System.IO.Path.Combine(folder, "rclone.conf");
        File.WriteAllText(path, text);
        return new RcloneConfig(path);
    }

    /// <summary>Backend options that name this configuration file (<c>--config</c>).</summary>
    public RcloneBackendOptions Options() => new() { ConfigFile = Path };

    /// <summary>An environment for rclone that names this configuration through <c>RCLONE_CONFIG</c>.</summary>
    public BackendOpenOptions OpenOptions() => new()
    {
        Environment = new Dictionary<string, string?> { ["RCLONE_CONFIG"] = Path, ["HOME"] = System.IO.Path.GetDirectoryName(Path) },
    };
}
