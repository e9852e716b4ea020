namespace Duplicity.Backends.Rclone;

/// <summary>The rclone path of a backend URL and of the files in it.</summary>
internal static class RcloneRemote
{
    /// <summary>
    /// duplicity's reading of <c>rclone://remote:path</c>: everything after <c>rclone://</c>, with the first
    /// <c>:/</c> turned into <c>:</c>. So <c>rclone://remote:dir</c> and <c>rclone://remote:/dir</c> both name
    /// <c>remote:dir</c>, and an absolute path on the remote needs two slashes (<c>rclone://remote://abs</c>).
    /// </summary>
    public static string FromUrl(BackendUrl url)
    {
        var path = url.HostAndPath;
        var colonSlash = path.IndexOf(":/", StringComparison.Ordinal);
        if (colonSlash >= 0)
            path = path.Remove(colonSlash + 1, 1);
        if (path.Length == 0)
            throw new DuplicityException(DuplicityErrorCode.BadUrl, $"The rclone URL names no remote: {url}");
        return path;
    }

    /// <summary>
    /// The rclone path of one file. duplicity always inserts a <c>/</c>; at a remote's root
    /// (<c>remote:</c>) that would name the server's root folder instead of the one the listing reads, so
    /// none is added after a <c>:</c> or a <c>/</c>.
    /// </summary>
    public static string File(string remote, string name) =>
        remote.EndsWith(':') || remote.EndsWith('/') ? remote + name : remote + "/" + name;
}
