namespace Duplicity.Backends.Ssh;

/// <summary>
/// Where and as whom to connect, resolved from the URL, the environment and the options the way duplicity's
/// paramiko backend does: <c>sftp://user[:password]@host[:port]/relative/path</c> is relative to the login
/// folder, <c>sftp://host//absolute/path</c> is absolute.
/// </summary>
internal sealed record SshTarget(
    string Host,
    int Port,
    string User,
    string? Password,
    string RemoteFolder,
    IReadOnlyList<string> ExplicitIdentityFiles,
    IReadOnlyList<string> DefaultIdentityFiles,
    string KnownHostsFile)
{
    private static readonly string[] DefaultKeyNames = ["id_ed25519", "id_rsa", "id_ecdsa"];

    public static SshTarget Resolve(BackendUrl url, BackendOpenOptions open, SshBackendOptions options)
    {
        if (url.Host is null)
            throw new DuplicityException(DuplicityErrorCode.BadUrl, $"No host in URL: {url}");
        var command = SshCommandLineOptions.Parse(options.SshOptions);
        var home = open.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        var user = url.UserName ?? open.GetEnvironmentVariable("USER") ?? Environment.UserName;
        // As duplicity: the URL's password, else FTP_PASSWORD; it also unlocks encrypted keys.
        var password = url.Password ?? open.GetEnvironmentVariable("FTP_PASSWORD");
        var port = url.Port ?? command.Port ?? 22;

        var explicitKeys = new List<string>();
        foreach (var file in options.IdentityFiles.Concat(command.IdentityFiles))
            explicitKeys.Add(ExpandHome(file, home));
        var defaultKeys = new List<string>();
        if (options.UseDefaultIdentityFiles)
        {
            foreach (var name in DefaultKeyNames)
                defaultKeys.Add(Path.Combine(home, ".ssh", name));
        }
        var knownHosts = ExpandHome(options.KnownHostsFile ?? command.UserKnownHostsFile ?? "~/.ssh/known_hosts", home);

        return new SshTarget(url.Host, port, user, password, RemoteFolderOf(url.Path), explicitKeys, defaultKeys, knownHosts);
    }

    /// <summary>Prints every member but the password (records would print it).</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Host = {Host}, Port = {Port}, User = {User}, Password = {(Password is null ? "none" : "***")}, RemoteFolder = {RemoteFolder}, ");
        builder.Append($"ExplicitIdentityFiles = [{string.Join(", ", ExplicitIdentityFiles)}], DefaultIdentityFiles = [{string.Join(", ", DefaultIdentityFiles)}], KnownHostsFile = {KnownHostsFile}");
        return true;
    }

    /// <summary>The remote path of a file in the folder.</summary>
    public string PathOf(string name) => RemoteFolder == "." ? name : RemoteFolder + "/" + name;

    // duplicity drops one leading '/': "/dir" is relative to the login folder, "//dir" is absolute.
    internal static string RemoteFolderOf(string urlPath)
    {
        var folder = urlPath.StartsWith('/') ? urlPath[1..] : urlPath;
        if (folder.Length > 1)
            folder = folder.TrimEnd('/');
        return folder.Length == 0 ? "." : folder;
    }

    private static string ExpandHome(string path, string home) =>
        path == "~" ? home : path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, path[2..]) : path;
}
