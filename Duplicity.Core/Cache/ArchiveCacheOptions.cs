using System.Security.Cryptography;
using System.Text;

namespace Duplicity.Cache;

/// <summary>
/// Where the local archive cache lives: <see cref="ArchiveDirectory"/> joined with
/// <see cref="Name"/>, as duplicity's <c>--archive-dir</c> and <c>--name</c>.
/// </summary>
public sealed class ArchiveCacheOptions
{
    /// <summary>The cache root; null means <c>$XDG_CACHE_HOME/duplicity</c> (else <c>~/.cache/duplicity</c>).</summary>
    public string? ArchiveDirectory { get; init; }

    /// <summary>The backup's folder name below the root; null means the MD5 of the target URL.</summary>
    public string? Name { get; init; }

    /// <summary>Options whose default name is duplicity's: the MD5 hex of the URL exactly as typed.</summary>
    public static ArchiveCacheOptions ForUrl(string url, string? archiveDirectory = null, string? name = null) =>
        new() { ArchiveDirectory = archiveDirectory, Name = name ?? DefaultNameFor(url) };

    /// <summary>duplicity's default backup name: lower-case hex MD5 of the URL string.</summary>
#pragma warning disable CA5351 // duplicity names the cache folder by the URL's MD5; a name, not a secret.
    public static string DefaultNameFor(string url) =>
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(url)));
#pragma warning restore CA5351

    /// <summary>The default cache root, from <c>XDG_CACHE_HOME</c> or the home folder.</summary>
    public static string DefaultArchiveDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(root, "duplicity");
    }
}
