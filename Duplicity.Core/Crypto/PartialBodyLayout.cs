namespace Duplicity.Crypto;

/// <summary>
/// Where the bytes of a packet written by <see cref="PartialBodyWriteStream"/> lie: a tag byte, then
/// 64 KiB chunks each after a one-byte partial length, then a final chunk after a definite length of
/// 1, 2 or 5 bytes. Knowing the body's length is enough to map body offsets to packet offsets and back.
/// </summary>
internal static class PartialBodyLayout
{
    /// <summary>Bytes in a partial chunk.</summary>
    public const int ChunkSize = 1 << 16;

    private const long Stride = ChunkSize + 1;

    /// <summary>The offset, from the packet's tag byte, of body byte <paramref name="bodyOffset"/>.</summary>
    public static long PacketOffsetOf(long bodyOffset, long bodyLength)
    {
        long final = bodyLength / ChunkSize;
        long chunk = bodyOffset / ChunkSize;
        if (chunk < final) return 1 + chunk * Stride + 1 + (bodyOffset - chunk * ChunkSize);
        return 1 + final * Stride + FinalHeaderLength(bodyLength) + (bodyOffset - final * ChunkSize);
    }

    /// <summary>
    /// What a reader starting at <paramref name="packetOffset"/> (from the tag byte) finds, when that offset
    /// lies at the header of a partial chunk or inside one: the body offset there, and the bytes left in the
    /// chunk (0: a length header comes next). False for the tag byte and for anything in the final chunk.
    /// </summary>
    public static bool TryLocateInPartialChunk(long packetOffset, long bodyLength, out long bodyOffset, out int remaining)
    {
        bodyOffset = 0;
        remaining = 0;
        if (packetOffset < 1) return false;
        long chunk = (packetOffset - 1) / Stride;
        if (chunk >= bodyLength / ChunkSize) return false;
        long within = (packetOffset - 1) % Stride;
        if (within == 0)
        {
            bodyOffset = chunk * ChunkSize;
            return true;
        }
        bodyOffset = chunk * ChunkSize + within - 1;
        remaining = (int)(ChunkSize - (within - 1));
        return true;
    }

    private static int FinalHeaderLength(long bodyLength)
    {
        long last = bodyLength % ChunkSize;
        return last < 192 ? 1 : last < 8384 ? 2 : 5;
    }
}
