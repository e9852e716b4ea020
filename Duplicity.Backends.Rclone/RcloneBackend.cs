using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Duplicity.Backends.Rclone;

/// <summary>
/// Stores files on any rclone remote (<c>rclone://remote:path</c>) by running the <c>rclone</c> program, as
/// duplicity's rclone backend does: <c>copyto</c> (a local file) or <c>rcat</c> (any other stream) to a temporary
/// name and <c>moveto</c> for uploads,
/// <c>cat</c> for downloads, <c>lsjson</c> for listings and <c>delete</c> for deletes.
/// </summary>
/// <remarks>
/// rclone 1.60 writes an upload straight to the name it is given on most remotes (local, SFTP), so a killed
/// <c>rcat</c> would leave a partial file there: uploads therefore go to a temporary name
/// (<see cref="UploadTempName"/>, hidden from listings) and are moved into place only when complete. Each
/// call starts one rclone process (two for an upload); rclone's configuration comes from
/// <see cref="RcloneBackendOptions.ConfigFile"/> or the <c>RCLONE_*</c> variables of
/// <see cref="BackendOpenOptions.Environment"/>.
/// </remarks>
public sealed class RcloneBackend : IBackend
{
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(60);

    private readonly RcloneRunner _runner;
    private readonly ILogger _logger;

    // The folder is made once before the first upload: rclone makes missing parents on every upload, and on
    // remotes such as sftp two uploads that both find the folder missing race, and the loser's mkdir fails.
    private readonly SemaphoreSlim _folderLock = new(1, 1);
    private bool _folderMade;

    private RcloneBackend(string remote, RcloneRunner runner, ILogger logger)
    {
        Remote = remote;
        _runner = runner;
        _logger = logger;
    }

    /// <summary>The rclone path the files are stored in, e.g. <c>remote:backups/etc</c>.</summary>
    public string Remote { get; }

    /// <inheritdoc/>
    public string DisplayName => "rclone://" + Remote;

    /// <summary>Opens the backend of an <c>rclone://remote:path</c> URL (no process is started yet).</summary>
    /// <param name="url">The URL, read as duplicity reads it (see the package README).</param>
    /// <param name="openOptions">Logging and the environment rclone gets its <c>RCLONE_*</c> variables from.</param>
    /// <param name="options">The rclone program, configuration file and extra arguments.</param>
    public static RcloneBackend Open(BackendUrl url, BackendOpenOptions? openOptions = null, RcloneBackendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        var open = openOptions ?? new BackendOpenOptions();
        var logger = open.LoggerFactory.CreateLogger<RcloneBackend>();
        var remote = RcloneRemote.FromUrl(url);
        return new RcloneBackend(remote, new RcloneRunner((options ?? new RcloneBackendOptions()).Clone(), open, logger), logger);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<BackendFileInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var result = await _runner.RunAsync("listing", ["lsjson", "--files-only", "--no-mimetype", "--no-modtime", Remote], null, cancellationToken)
            .ConfigureAwait(false);
        // A folder that does not exist yet holds no files (duplicity reads exit code 3 the same way).
        if (result.ExitCode == 3)
            yield break;
        if (result.ExitCode != 0)
            throw RcloneErrorTranslator.Translate("listing", result.ExitCode, result.StandardError);
        foreach (var file in ParseListing(result.StandardOutput))
            yield return file;
    }

    /// <inheritdoc/>
    public async Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        BackendFileName.Validate(name);
        ArgumentNullException.ThrowIfNull(content);
        cancellationToken.ThrowIfCancellationRequested();
        var operation = "upload of " + name;
        var temp = RcloneRemote.File(Remote, UploadTempName.Create(name));
        await EnsureFolderAsync(operation, cancellationToken).ConfigureAwait(false);
        var completed = false;
        try
        {
            // A file on this machine read from its start (the volume a backup just wrote) is named to rclone, as
            // duplicity's rclone backend does: copyto reads it itself, about 2.6 times as fast to a local remote as
            // the same bytes fed to rcat through a pipe. Any other stream goes through rcat.
            var upload = LocalFileOf(content) is { } path
                ? await _runner.RunAsync(operation, ["copyto", path, temp], null, cancellationToken).ConfigureAwait(false)
                : await _runner.RunAsync(operation, ["rcat", temp], content, cancellationToken).ConfigureAwait(false);
            if (upload.ExitCode != 0)
                throw RcloneErrorTranslator.Translate(operation, upload.ExitCode, upload.StandardError);
            // --ignore-times: never skip the move because an old file of the same size and time is there.
            var move = await _runner.RunAsync(operation, ["moveto", "--ignore-times", temp, RcloneRemote.File(Remote, name)], null, cancellationToken)
                .ConfigureAwait(false);
            if (move.ExitCode != 0)
                throw RcloneErrorTranslator.Translate(operation, move.ExitCode, move.StandardError);
            completed = true;
        }
        finally
        {
            if (!completed)
                await RemoveTemporaryAsync(temp).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The path of <paramref name="content"/> when it is a whole file opened by name at its start, so rclone can
    /// read it itself; null for anything else (a pipe, a handle opened without a name, a stream already read from).
    /// </summary>
    internal static string? LocalFileOf(Stream content)
    {
        if (content is not FileStream { CanSeek: true } file || file.Position != 0 || !Path.IsPathFullyQualified(file.Name))
            return null;
        var info = new FileInfo(file.Name);
        // The name must still lead to a regular file of the stream's length (not replaced, not a device).
        return info.Exists && info.LinkTarget is null && info.Length == file.Length ? file.Name : null;
    }

    /// <inheritdoc/>
    public async Task<Stream> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        BackendFileName.Validate(name);
        return await RcloneDownloadStream.OpenAsync(_runner, "download of " + name, ["cat", RcloneRemote.File(Remote, name)], cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<Stream> GetFromAsync(string name, long offset, CancellationToken cancellationToken = default)
    {
        BackendFileName.Validate(name);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset == 0)
            return await GetAsync(name, cancellationToken).ConfigureAwait(false);
        return await RcloneDownloadStream.OpenAsync(_runner, "download of " + name,
            ["cat", "--offset", offset.ToString(CultureInfo.InvariantCulture), RcloneRemote.File(Remote, name)], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
            BackendFileName.Validate(name);
        if (names.Count == 0)
            return;
        // One rclone run for all names: the list goes to its input, one literal name a line; names rclone
        // does not find are skipped, as the contract wants.
        var list = new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(names.Select(n => n + "\n"))));
        var result = await _runner.RunAsync("delete", ["delete", "--drive-use-trash=false", "--files-from-raw", "-", Remote], list, cancellationToken)
            .ConfigureAwait(false);
        if (result.ExitCode is not (0 or 3))
            throw RcloneErrorTranslator.Translate("delete", result.ExitCode, result.StandardError);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _folderLock.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task EnsureFolderAsync(string operation, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _folderMade)) return;
        await _folderLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_folderMade) return;
            // rclone mkdir makes every missing level and succeeds when the folder exists.
            var mkdir = await _runner.RunAsync(operation, ["mkdir", Remote], null, cancellationToken).ConfigureAwait(false);
            if (mkdir.ExitCode != 0)
                throw RcloneErrorTranslator.Translate(operation, mkdir.ExitCode, mkdir.StandardError);
            Volatile.Write(ref _folderMade, true);
        }
        finally
        {
            _folderLock.Release();
        }
    }

    /// <inheritdoc/>
    public override string ToString() => DisplayName;

    private static List<BackendFileInfo> ParseListing(byte[] json)
    {
        var files = new List<BackendFileInfo>();
        try
        {
            using var document = JsonDocument.Parse(json);
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                if (entry.TryGetProperty("IsDir", out var isDir) && isDir.ValueKind == JsonValueKind.True)
                    continue;
                var name = entry.GetProperty("Name").GetString();
                if (string.IsNullOrEmpty(name) || UploadTempName.IsTemporary(name))
                    continue;
                files.Add(new BackendFileInfo(name, entry.GetProperty("Size").GetInt64()));
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new BackendException(BackendErrorKind.Permanent, "rclone lsjson printed a listing that is not valid JSON", e);
        }
        return files;
    }

    // An upload that did not complete leaves at most its temporary file: remove it, even when the call was
    // cancelled, but never wait long for it (listings hide it anyway).
    private async Task RemoveTemporaryAsync(string temp)
    {
        using var timeout = new CancellationTokenSource(CleanupTimeout);
        try
        {
            var result = await _runner.RunAsync("cleanup", ["deletefile", temp], null, timeout.Token).ConfigureAwait(false);
            if (result.ExitCode == 0)
                RcloneLog.TemporaryRemoved(_logger, temp);
        }
        catch (Exception e) when (e is BackendException or OperationCanceledException or IOException)
        {
            RcloneLog.TemporaryNotRemoved(_logger, temp, e.Message);
        }
    }
}
