using Duplicity.IO;

namespace Duplicity.Backends.Retry;

/// <summary>Copies upload content that cannot rewind into a private temporary file that can, deleted when closed.</summary>
internal static class UploadSpool
{
    private const int BufferSize = 1 << 20;

    /// <summary>A 0600 file in <paramref name="folder"/> holding the rest of <paramref name="content"/>, positioned at its start.</summary>
    /// <remarks>Errors reading <paramref name="content"/> are the caller's and propagate unchanged.</remarks>
    public static async Task<FileStream> CopyAsync(Stream content, PrivateTempDirectory folder, CancellationToken cancellationToken)
    {
        var file = folder.CreateFile("spool", FileAccess.ReadWrite, FileOptions.Asynchronous | FileOptions.DeleteOnClose, BufferSize);
        try
        {
            await content.CopyToAsync(file, BufferSize, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
