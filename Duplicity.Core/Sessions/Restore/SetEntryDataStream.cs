using Duplicity.IO;

namespace Duplicity.Sessions.Restore;

/// <summary>The current item's data of a <see cref="SetEntryReader"/> as a read-only stream (for patching).</summary>
internal sealed class SetEntryDataStream(SetEntryReader reader) : ReadOnlyStream
{
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        reader.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        reader.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Read this stream asynchronously.");

}
