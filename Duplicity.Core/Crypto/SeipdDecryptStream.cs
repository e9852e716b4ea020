using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Duplicity.Crypto;

/// <summary>
/// The plaintext of a SEIPD v1 packet encrypted with AES, decrypted without BouncyCastle. OpenPGP
/// CFB (zero IV, no resync) decrypts as P_i = C_i XOR AES(C_{i-1}), so a whole buffer of ciphertext
/// shifted by one block goes through one AES-ECB call (AES-NI, pipelined) instead of a block at a
/// time. The 18-byte random prefix is hashed but not returned; the last 22 bytes (the MDC packet)
/// are held back and checked at the end, where a mismatch throws <see cref="ArchiveCorruptException"/>.
/// </summary>
internal sealed class SeipdDecryptStream : Stream
{
    /// <summary>The random prefix: one cipher block plus the two repeated quick-check bytes.</summary>
    public const int PrefixLength = BlockSize + 2;
    private const int BlockSize = 16;
    private const int MdcLength = 22;
    private const int ChunkSize = 256 * 1024;

    private readonly Stream _ciphertext;
    private readonly Aes _aes;
    private readonly IncrementalHash _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
    // Off when the caller has vouched for the stored bytes and reads only part of them (a seek point).
    private readonly bool _checkMdc;
    // Previous ciphertext block, then the chunk's ciphertext: AES-ECB of [0, n) is the keystream of [16, 16 + n).
    private readonly byte[] _cipher = ArrayPool<byte>.Shared.Rent(BlockSize + ChunkSize);
    private readonly byte[] _keystream = ArrayPool<byte>.Shared.Rent(ChunkSize);
    // Plaintext: held-back tail from the previous chunk, then the new chunk.
    private readonly byte[] _plain = ArrayPool<byte>.Shared.Rent(MdcLength + ChunkSize);
    private int _held;
    private int _readAt;
    private int _readEnd;
    private int _prefixToSkip = PrefixLength;
    private int _headLength;
    private long _total;
    private bool _ended;
    private bool _disposed;

    /// <summary>
    /// Starts decrypting; <paramref name="head"/> are the first ciphertext bytes already read from
    /// the packet (at least <see cref="PrefixLength"/> of them were, for the quick check).
    /// </summary>
    public SeipdDecryptStream(Stream ciphertext, ReadOnlySpan<byte> key, ReadOnlySpan<byte> head, bool checkMdc = true)
    {
        _checkMdc = checkMdc;
        _ciphertext = ciphertext;
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _cipher.AsSpan(0, BlockSize).Clear();
        head.CopyTo(_cipher.AsSpan(BlockSize));
        _headLength = head.Length;
    }

    /// <summary>True when <paramref name="head"/> (the first 18 ciphertext bytes) decrypts to a prefix whose last two bytes repeat.</summary>
    public static bool QuickCheck(ReadOnlySpan<byte> key, ReadOnlySpan<byte> head)
    {
        if (head.Length < PrefixLength) return false;
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        Span<byte> input = stackalloc byte[2 * BlockSize];
        input[..BlockSize].Clear();
        head[..BlockSize].CopyTo(input[BlockSize..]);
        Span<byte> stream = stackalloc byte[2 * BlockSize];
        aes.EncryptEcb(input, stream, PaddingMode.None);
        return (byte)(head[BlockSize - 2] ^ stream[BlockSize - 2]) == (byte)(head[BlockSize] ^ stream[BlockSize])
            && (byte)(head[BlockSize - 1] ^ stream[BlockSize - 1]) == (byte)(head[BlockSize + 1] ^ stream[BlockSize + 1]);
    }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty) return 0;
        while (_readAt == _readEnd)
        {
            if (_ended) return 0;
            Refill();
        }
        var n = Math.Min(buffer.Length, _readEnd - _readAt);
        _plain.AsSpan(_readAt, n).CopyTo(buffer);
        _readAt += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    /// <summary>Decrypts the next chunk; releases all but the last 22 plaintext bytes seen so far.</summary>
    private void Refill()
    {
        // Keep the held-back tail at the front of the plaintext buffer.
        if (_held > 0 && _readEnd != 0) _plain.AsSpan(_readEnd, _held).CopyTo(_plain);
        var length = _headLength;
        _headLength = 0;
        while (length < ChunkSize)
        {
            var n = _ciphertext.Read(_cipher, BlockSize + length, ChunkSize - length);
            if (n <= 0) { _ended = true; break; }
            length += n;
        }
        if (length > 0)
        {
            var run = (length + BlockSize - 1) / BlockSize * BlockSize;
            _aes.EncryptEcb(_cipher.AsSpan(0, run), _keystream.AsSpan(0, run), PaddingMode.None);
            Xor(_cipher.AsSpan(BlockSize, length), _keystream.AsSpan(0, length), _plain.AsSpan(_held, length));
            // Only a full chunk continues, and full chunks are whole blocks.
            if (!_ended) _cipher.AsSpan(length, BlockSize).CopyTo(_cipher);
        }
        _total += length;
        if (_ended && _total < PrefixLength + MdcLength) throw Corrupt("the encrypted data is truncated");
        var total = _held + length;
        var release = Math.Max(0, total - MdcLength);
        if (_checkMdc) _sha1.AppendData(_plain, 0, release);
        _held = total - release;
        _readAt = Math.Min(release, _prefixToSkip);
        _prefixToSkip -= _readAt;
        _readEnd = release;
        if (_ended && _checkMdc) CheckMdc(_plain.AsSpan(release, MdcLength));
    }

    private void CheckMdc(ReadOnlySpan<byte> mdc)
    {
        if (mdc[0] != 0xD3 || mdc[1] != 0x14) throw Corrupt("the message has no MDC packet at its end");
        _sha1.AppendData(mdc[..2]);
        Span<byte> hash = stackalloc byte[20];
        _sha1.GetHashAndReset(hash);
        if (!CryptographicOperations.FixedTimeEquals(hash, mdc[2..])) throw Corrupt("the message was modified (MDC mismatch)");
    }

    private static ArchiveCorruptException Corrupt(string message) => OpenPgpDecryptor.Corrupt(message);

    private static void Xor(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> into)
    {
        var i = 0;
        var width = Vector<byte>.Count;
        var va = MemoryMarshal.Cast<byte, Vector<byte>>(a);
        var vb = MemoryMarshal.Cast<byte, Vector<byte>>(b);
        var vo = MemoryMarshal.Cast<byte, Vector<byte>>(into);
        for (var v = 0; v < vo.Length && v < va.Length && v < vb.Length; v++) vo[v] = va[v] ^ vb[v];
        i = Math.Min(vo.Length, Math.Min(va.Length, vb.Length)) * width;
        for (; i < into.Length; i++) into[i] = (byte)(a[i] ^ b[i]);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _aes.Dispose();
            _sha1.Dispose();
            ArrayPool<byte>.Shared.Return(_cipher);
            ArrayPool<byte>.Shared.Return(_keystream);
            CryptographicOperations.ZeroMemory(_plain);
            ArrayPool<byte>.Shared.Return(_plain);
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
