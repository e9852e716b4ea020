using Duplicity.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Duplicity.Backends.WebDav;

/// <summary>The WebDAV backend's log messages (ids in <see cref="DuplicityEventIds"/>, 5500s). Never a password or an Authorization header.</summary>
internal static partial class WebDavLog
{
    /// <param name="logger">The logger.</param>
    /// <param name="server">The server's scheme, host and port.</param>
    /// <param name="folder">The folder the files are stored in.</param>
    /// <param name="user">The user name, or null without one.</param>
    [LoggerMessage(EventId = DuplicityEventIds.WebDavOpened, Level = LogLevel.Debug, Message = "Using WebDAV server {Server}, folder {Folder}, as {User}")]
    public static partial void Opened(ILogger logger, string server, string folder, string? user);

    /// <param name="logger">The logger.</param>
    /// <param name="scheme">Basic or Digest.</param>
    /// <param name="user">The user name answered with.</param>
    [LoggerMessage(EventId = DuplicityEventIds.WebDavAuthenticating, Level = LogLevel.Debug, Message = "The WebDAV server asks for {Scheme} authentication; answering as {User}")]
    public static partial void Authenticating(ILogger logger, string scheme, string? user);

    /// <param name="logger">The logger.</param>
    /// <param name="folder">The folder created.</param>
    [LoggerMessage(EventId = DuplicityEventIds.WebDavFolderCreated, Level = LogLevel.Debug, Message = "Created the WebDAV folder {Folder}")]
    public static partial void FolderCreated(ILogger logger, string folder);

    /// <param name="logger">The logger.</param>
    /// <param name="page">The number of the page that follows (2 for the second).</param>
    [LoggerMessage(EventId = DuplicityEventIds.WebDavListingNextPage, Level = LogLevel.Debug, Message = "The WebDAV listing continues on page {Page}")]
    public static partial void ListingNextPage(ILogger logger, int page);

    /// <param name="logger">The logger.</param>
    /// <param name="file">The file whose upload failed.</param>
    /// <param name="temporaryName">The temporary name deleted.</param>
    [LoggerMessage(EventId = DuplicityEventIds.WebDavTemporaryUploadRemoved, Level = LogLevel.Debug, Message = "The upload of {File} failed; removed its temporary file {TemporaryName}")]
    public static partial void TemporaryUploadRemoved(ILogger logger, string file, string temporaryName);
}
