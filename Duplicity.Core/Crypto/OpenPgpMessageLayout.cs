using Duplicity.IO;

namespace Duplicity.Crypto;

/// <summary>
/// How a compressed message we wrote is laid out inside its deflate data, so that a reader can enter it
/// at a deflate block start (each is independent, see <see cref="ParallelDeflateStream"/>): the offset of
/// the literal packet's tag byte, the length of its body (framed as <see cref="PartialBodyLayout"/> says),
/// where the data begins in that body, and the compressor's block starts.
/// </summary>
internal sealed record OpenPgpMessageLayout(long LiteralPacketStart, long LiteralBodyLength, int DataStart, IReadOnlyList<DeflateBlockStart> BlockStarts)
{
    /// <summary>The offset in the deflate input of data byte <paramref name="dataOffset"/>.</summary>
    public long InputOffsetOf(long dataOffset) =>
        LiteralPacketStart + PartialBodyLayout.PacketOffsetOf(DataStart + dataOffset, LiteralBodyLength);
}

/// <summary>A message being written that can tell its <see cref="OpenPgpMessageLayout"/> once finished (null: not compressed by us).</summary>
internal interface IOpenPgpMessageLayoutSource
{
    /// <summary>Set when the message is finished.</summary>
    OpenPgpMessageLayout? Layout { get; }
}
