using System.Runtime.CompilerServices;
using Renci.SshNet;
using Microsoft.Extensions.Logging;
using Renci.SshNet.Common;

namespace Duplicity.Backends.Ssh;

/// <summary>
/// Stores files in a folder of an SSH server over SFTP: duplicity's <c>sftp://</c>, <c>scp://</c>,
/// <c>ssh://</c> and <c>paramiko+</c>/<c>pexpect+</c> backends (all of them are served over SFTP here, so
/// the server needs its SFTP subsystem). The server's host key must be listed in the known-hosts file;
/// the remote folder is created when missing; an upload is written to a temporary name and renamed into
/// place, so a dropped connection never leaves a partial file under the final name.
/// </summary>
/// <remarks>
/// One SSH connection is shared by all calls (SFTP requests are multiplexed) and opened on first use; a
/// dropped connection is reopened by the next call, so a retrying decorator can recover from it.
/// </remarks>
public sealed class SftpBackend : IBackend
{
    // Larger SFTP requests cut per-request overhead; OpenSSH's sftp-server accepts up to 256 KiB writes.
    private const uint RequestSize = 255 * 1024;

    private readonly SshTarget _target;
    private readonly SshBackendOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private SftpClient? _client;
    private bool _folderReady;
    private bool _posixRenameFailed;
    private bool _disposed;

    private SftpBackend(SshTarget target, SshBackendOptions options, string displayName, ILoggerFactory loggerFactory)
    {
        _target = target;
        _options = options;
        DisplayName = displayName;
        _logger = loggerFactory.CreateLogger<SftpBackend>();
    }

    /// <summary>
    /// Creates the backend of an <c>sftp://user[:password]@host[:port]/path</c> URL (or one of the other SSH
    /// schemes). Nothing is contacted until the first operation or <see cref="ConnectAsync"/>.
    /// </summary>
    /// <param name="url">The URL; a password in it is used for password authentication and to unlock keys.</param>
    /// <param name="openOptions">Supplies <c>FTP_PASSWORD</c> (when the URL has no password), <c>HOME</c> (for <c>~/.ssh</c>)
    /// and the logger factory connects and reconnects are logged to.</param>
    /// <param name="options">Keys, known-hosts file and <c>--ssh-options</c>.</param>
    public static SftpBackend Open(BackendUrl url, BackendOpenOptions? openOptions = null, SshBackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        var settings = (options ?? new SshBackendOptions()).Clone();
        var context = openOptions ?? new BackendOpenOptions();
        var target = SshTarget.Resolve(url, context, settings);
        return new SftpBackend(target, settings, url.ToString(), context.LoggerFactory);
    }

    /// <inheritdoc/>
    public string DisplayName { get; }

    /// <summary>The remote folder: relative to the login folder, or absolute when it starts with <c>/</c>.</summary>
    public string RemoteFolder => _target.RemoteFolder;

    /// <summary>
    /// Connects, checks the host key, authenticates and creates the remote folder, unless already connected.
    /// Every other operation does this by itself; call it to surface configuration errors early.
    /// </summary>
    /// <param name="cancellationToken">Cancels connecting.</param>
    public async Task ConnectAsync(CancellationToken cancellationToken = default) =>
        await ClientAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async IAsyncEnumerable<BackendFileInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        // Collect first so errors can be translated (a yield cannot sit inside a try with catch).
        var files = new List<BackendFileInfo>();
        try
        {
            await foreach (var entry in client.ListDirectoryAsync(_target.RemoteFolder, cancellationToken).ConfigureAwait(false))
            {
                if (entry.IsRegularFile && !UploadTempName.IsTemporary(entry.Name))
                    files.Add(new BackendFileInfo(entry.Name, entry.Length));
            }
        }
        catch (Exception e) when (SshErrorTranslator.IsConnectionError(e))
        {
            throw SshErrorTranslator.Translate(e, "list the folder", DisplayName);
        }
        foreach (var file in files)
            yield return file;
    }

    /// <inheritdoc/>
    public async Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        BackendFileName.Validate(name);
        ArgumentNullException.ThrowIfNull(content);
        cancellationToken.ThrowIfCancellationRequested();
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);

        var temporary = _target.PathOf(UploadTempName.Create(name));
        var source = new SourceReadStream(content, cancellationToken);
        try
        {
            await client.UploadFileAsync(source, temporary, canOverride: true, uploadProgress: null, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            RenameIntoPlace(client, temporary, _target.PathOf(name));
        }
        catch (Exception e)
        {
            RemoveQuietly(client, temporary);
            if (e is OperationCanceledException || source.SourceFailure is not null)
                throw;
            if (SshErrorTranslator.IsConnectionError(e))
                throw SshErrorTranslator.Translate(e, $"upload '{name}'", DisplayName);
            throw;
        }
    }

    /// <inheritdoc/>
    public Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default) =>
        GetFromAsync(name, 0, cancellationToken);

    /// <summary>Opens a file from byte <paramref name="offset"/> on: SFTP reads name their offset, so this costs nothing extra.</summary>
    /// <param name="name">The file name.</param>
    /// <param name="offset">The first byte to read; at or past the end gives an empty stream.</param>
    /// <param name="cancellationToken">Cancels opening the file.</param>
    public async Task<Stream> GetFromAsync(string name, long offset, CancellationToken cancellationToken = default)
    {
        BackendFileName.Validate(name);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        cancellationToken.ThrowIfCancellationRequested();
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var remote = await client.OpenAsync(_target.PathOf(name), FileMode.Open, FileAccess.Read, cancellationToken).ConfigureAwait(false);
            try
            {
                if (offset > 0)
                    remote.Seek(offset, SeekOrigin.Begin);
                // Told to the reader so a retry can tell a download cut short from a complete one.
                return new DownloadStream(remote, Math.Max(0, remote.Length - offset), name, DisplayName);
            }
            catch
            {
                await remote.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch (Exception e) when (SshErrorTranslator.IsConnectionError(e))
        {
            var error = SshErrorTranslator.Translate(e, $"read '{name}'", DisplayName);
            if (error.Kind == BackendErrorKind.NotFound)
                throw new BackendException(BackendErrorKind.NotFound, $"File '{name}' not found in {DisplayName}.", e);
            throw error;
        }
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default)
    {
        BackendFileName.ValidateAll(names);
        cancellationToken.ThrowIfCancellationRequested();
        if (names.Count == 0)
            return;
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await client.DeleteFileAsync(_target.PathOf(name), cancellationToken).ConfigureAwait(false);
            }
            catch (SftpPathNotFoundException)
            {
                // Already gone: deleting is idempotent.
            }
            catch (Exception e) when (SshErrorTranslator.IsConnectionError(e))
            {
                throw SshErrorTranslator.Translate(e, $"delete '{name}'", DisplayName);
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        var client = Interlocked.Exchange(ref _client, null);
        if (client is not null)
        {
            try
            {
                client.Dispose();
            }
            catch (Exception e) when (SshErrorTranslator.IsConnectionError(e))
            {
                // The connection may already be gone; nothing left to release.
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override string ToString() => DisplayName;

    private async Task<SftpClient> ClientAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var current = _client;
        if (current is { IsConnected: true })
            return current;
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            current = _client;
            if (current is { IsConnected: true })
                return current;
            if (current is not null)
            {
                SshLog.Reconnecting(_logger, _target.Host, _target.Port);
                current.Dispose();
            }
            _client = null;
            var fresh = await SftpConnector.ConnectAsync(_target, _options, DisplayName, _logger, cancellationToken).ConfigureAwait(false);
            fresh.BufferSize = RequestSize;
            if (!_folderReady)
            {
                await CreateFolderAsync(fresh, cancellationToken).ConfigureAwait(false);
                _folderReady = true;
            }
            _client = fresh;
            return fresh;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    // mkdir -p: create each missing component of the remote folder.
    private async Task CreateFolderAsync(SftpClient client, CancellationToken cancellationToken)
    {
        var folder = _target.RemoteFolder;
        if (folder is "." or "/")
            return;
        var prefix = folder.StartsWith('/') ? "/" : "";
        foreach (var part in folder.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            prefix = prefix.Length == 0 || prefix == "/" ? prefix + part : prefix + "/" + part;
            try
            {
                if (await client.ExistsAsync(prefix, cancellationToken).ConfigureAwait(false))
                    continue;
                await client.CreateDirectoryAsync(prefix, cancellationToken).ConfigureAwait(false);
                SshLog.FolderCreated(_logger, prefix);
            }
            catch (Exception e) when (SshErrorTranslator.IsConnectionError(e))
            {
                // Another client may have created it in the meantime.
                if (await ExistsQuietlyAsync(client, prefix).ConfigureAwait(false))
                    continue;
                client.Dispose();
                throw SshErrorTranslator.Translate(e, $"create the folder '{prefix}'", DisplayName);
            }
        }
    }

    private void RenameIntoPlace(SftpClient client, string temporary, string final)
    {
        if (!_posixRenameFailed)
        {
            try
            {
                // posix-rename@openssh.com replaces the target atomically.
                client.RenameFile(temporary, final, isPosix: true);
                return;
            }
            catch (NotSupportedException)
            {
                _posixRenameFailed = true;
            }
        }
        // Plain SFTP rename refuses to overwrite: remove the old file first (not atomic, but only on old servers).
        try
        {
            client.DeleteFile(final);
        }
        catch (SftpPathNotFoundException)
        {
        }
        client.RenameFile(temporary, final);
    }

    private static void RemoveQuietly(SftpClient client, string path)
    {
        try
        {
            if (client.IsConnected)
                client.DeleteFile(path);
        }
        catch (Exception e) when (SshErrorTranslator.IsConnectionError(e))
        {
            // Best effort: the listing hides temporary names anyway.
        }
    }

    private static async Task<bool> ExistsQuietlyAsync(SftpClient client, string path)
    {
        try
        {
            return client.IsConnected && await client.ExistsAsync(path, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (SshErrorTranslator.IsConnectionError(e))
        {
            return false;
        }
    }
}
