using System.Buffers;
using System.Buffers.Binary;

namespace Duplicity.Rsync;

/// <summary>
/// Applies a librsync delta (rsync.md 5.1) to a seekable basis, streaming: buffers are bounded
/// whatever the sizes of the commands.
/// </summary>
internal static class DeltaPatcher
{
    private const int BufferLength = 64 * 1024;

    /// <summary>
    /// A COPY up to this long is a block match (duplicity's blocks are at most 2048 bytes by default);
    /// it costs nothing from the repeat allowance, and its output is bounded by the delta's own length.
    /// </summary>
    internal const long BlockCopyAllowance = 64 * 1024;

    /// <summary>
    /// COPY bytes beyond <see cref="BlockCopyAllowance"/> per command (merged runs of matching blocks)
    /// may add up to this many times the basis length. rdiff's runs cover distinct parts of the basis,
    /// so real deltas stay under one; a small delta that copies the whole basis again and again (an
    /// amplification bomb) is refused.
    /// </summary>
    internal const long MaxBasisRepeats = 16;

    /// <summary>
    /// The repeat allowance is never below this: a real new version made of many copies of a small
    /// old one (a log duplicated, a template repeated) still restores, while a small hostile delta
    /// cannot make a restore write more than this much per file.
    /// </summary>
    internal const long MinRepeatAllowance = 1L << 30;

    /// <summary>Writes basis patched by <paramref name="delta"/> to <paramref name="output"/>.</summary>
    /// <param name="basis">The old file; must be seekable (COPY commands address it at random).</param>
    /// <param name="delta">The delta, read from its current position up to its END command.</param>
    /// <param name="output">Receives the new file.</param>
    /// <param name="cancellationToken">Cancels the work between reads and writes.</param>
    /// <exception cref="ArchiveCorruptException">Bad magic, reserved opcode, COPY beyond the basis end, long COPY runs
    /// adding up to more than <see cref="MaxBasisRepeats"/> times the basis (and over <see cref="MinRepeatAllowance"/>), or no END.</exception>
    public static async Task ApplyAsync(Stream basis, Stream delta, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(basis);
        ArgumentNullException.ThrowIfNull(delta);
        ArgumentNullException.ThrowIfNull(output);
        if (!basis.CanSeek)
        {
            throw new ArgumentException("The basis stream must be seekable.", nameof(basis));
        }

        long basisLength = basis.Length;
        long runAllowance = Math.Max(MinRepeatAllowance, basisLength > long.MaxValue / MaxBasisRepeats ? long.MaxValue : basisLength * MaxBasisRepeats);
        var input = new Input(delta, ArrayPool<byte>.Shared.Rent(BufferLength));
        byte[] copyBuffer = ArrayPool<byte>.Shared.Rent(BufferLength);
        try
        {
            await input.NeedAsync(4, "magic", cancellationToken).ConfigureAwait(false);
            uint magic = BinaryPrimitives.ReadUInt32BigEndian(input.Take(4));
            if (magic != SignatureParameters.DeltaMagic)
            {
                throw new ArchiveCorruptException($"Not a librsync delta: magic 0x{magic:x8}, expected 0x{SignatureParameters.DeltaMagic:x8}.");
            }

            while (true)
            {
                await input.NeedAsync(1, "a command", cancellationToken).ConfigureAwait(false);
                byte opcode = input.Take(1)[0];
                if (opcode == 0x00)
                {
                    return;
                }

                if (opcode <= 0x40)
                {
                    await CopyLiteralAsync(input, opcode, output, cancellationToken).ConfigureAwait(false);
                }
                else if (opcode <= 0x44)
                {
                    int width = 1 << (opcode - 0x41);
                    await input.NeedAsync(width, "a literal length", cancellationToken).ConfigureAwait(false);
                    ulong length = ReadInteger(input.Take(width));
                    await CopyLiteralAsync(input, length, output, cancellationToken).ConfigureAwait(false);
                }
                else if (opcode <= 0x54)
                {
                    int offsetWidth = 1 << ((opcode - 0x45) >> 2);
                    int lengthWidth = 1 << ((opcode - 0x45) & 3);
                    await input.NeedAsync(offsetWidth + lengthWidth, "COPY arguments", cancellationToken).ConfigureAwait(false);
                    ulong offset = ReadInteger(input.Take(offsetWidth));
                    ulong length = ReadInteger(input.Take(lengthWidth));
                    if (offset > (ulong)basisLength || length > (ulong)basisLength - offset)
                    {
                        throw new ArchiveCorruptException($"Delta COPY({offset}, {length}) runs past the end of the {basisLength}-byte basis.");
                    }

                    if ((long)length > BlockCopyAllowance)
                    {
                        runAllowance -= (long)length - BlockCopyAllowance;
                        if (runAllowance < 0)
                        {
                            throw new ArchiveCorruptException($"Delta copies the {basisLength}-byte basis more than {MaxBasisRepeats} times over (an amplifying delta).");
                        }
                    }

                    await CopyBasisAsync(basis, (long)offset, (long)length, output, copyBuffer, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    throw new ArchiveCorruptException($"Delta has reserved opcode 0x{opcode:x2}.");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input.Buffer);
            ArrayPool<byte>.Shared.Return(copyBuffer);
        }
    }

    private static ulong ReadInteger(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        1 => bytes[0],
        2 => BinaryPrimitives.ReadUInt16BigEndian(bytes),
        4 => BinaryPrimitives.ReadUInt32BigEndian(bytes),
        _ => BinaryPrimitives.ReadUInt64BigEndian(bytes),
    };

    private static async Task CopyLiteralAsync(Input input, ulong length, Stream output, CancellationToken cancellationToken)
    {
        while (length > 0)
        {
            await input.NeedAsync(1, "literal data", cancellationToken).ConfigureAwait(false);
            int piece = (int)Math.Min((ulong)input.Available, length);
            await output.WriteAsync(input.TakeMemory(piece), cancellationToken).ConfigureAwait(false);
            length -= (ulong)piece;
        }
    }

    private static async Task CopyBasisAsync(Stream basis, long offset, long length, Stream output, byte[] buffer, CancellationToken cancellationToken)
    {
        basis.Position = offset;
        while (length > 0)
        {
            int want = (int)Math.Min(buffer.Length, length);
            int read = await basis.ReadAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new ArchiveCorruptException($"Delta COPY runs past the end of the basis (it ended early at {basis.Position}).");
            }

            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            length -= read;
        }
    }

    /// <summary>Buffered reader over the delta stream.</summary>
    private sealed class Input(Stream stream, byte[] buffer)
    {
        private int _start;
        private int _count;

        public byte[] Buffer { get; } = buffer;

        public int Available => _count;

        /// <summary>Ensures at least <paramref name="bytes"/> (a few) are buffered; throws at end of stream.</summary>
        public async ValueTask NeedAsync(int bytes, string what, CancellationToken cancellationToken)
        {
            if (_count >= bytes)
            {
                return;
            }

            if (_start > 0)
            {
                System.Buffer.BlockCopy(Buffer, _start, Buffer, 0, _count);
                _start = 0;
            }

            while (_count < bytes)
            {
                int read = await stream.ReadAsync(Buffer.AsMemory(_count), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new ArchiveCorruptException($"Delta is truncated: it ends before {what} (no END command).");
                }

                _count += read;
            }
        }

        public ReadOnlySpan<byte> Take(int bytes)
        {
            var taken = Buffer.AsSpan(_start, bytes);
            _start += bytes;
            _count -= bytes;
            return taken;
        }

        public ReadOnlyMemory<byte> TakeMemory(int bytes)
        {
            var taken = Buffer.AsMemory(_start, bytes);
            _start += bytes;
            _count -= bytes;
            return taken;
        }
    }
}
