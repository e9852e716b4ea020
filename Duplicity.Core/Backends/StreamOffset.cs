using System.Buffers;

namespace Duplicity.Backends;

/// <summary>Moves a freshly opened download to a byte offset: by seeking when it can, else by reading past the bytes.</summary>
internal static class StreamOffset
{
    public static async Task SkipAsync(Stream stream, long offset, CancellationToken cancellationToken)
    {
        if (offset == 0)
            return;
        if (stream.CanSeek)
        {
            stream.Position = Math.Min(offset, stream.Length);
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            for (var left = offset; left > 0;)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                    return;
                left -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
