using System.Security.Cryptography;

namespace Duplicity.Crypto;

/// <summary>
/// The body of a SEIPD v1 packet: AES in OpenPGP CFB mode (no resync, zero IV, 16+2-byte random
/// prefix) and, on dispose, the MDC packet (SHA-1 over prefix, data and MDC header). CFB runs on
/// AES-NI (<see cref="AesNiCfbEncryptor"/>), else on .NET's slower one-shot EncryptCfb.
/// </summary>
internal sealed class CfbMdcEncryptStream : Stream
{
    private const int BlockSize = 16;
    private const int BufferSize = 64 * 1024;
    private readonly Stream _output;
    private readonly Aes? _aes;
    private readonly AesNiCfbEncryptor? _aesNi;
    private readonly IncrementalHash _mdc = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
    private readonly byte[] _plain = new byte[BufferSize];
    private readonly byte[] _cipher = new byte[BufferSize];
    private readonly byte[] _iv = new byte[BlockSize];
    private int _filled;
    private bool _finished;

    /// <summary>Plaintext held until a whole buffer is encrypted (written out later at the same size).</summary>
    public int BufferedBytes => Volatile.Read(ref _filled);

    public CfbMdcEncryptStream(Stream output, byte[] key)
    {
        _output = output;
        if (AesNiCfbEncryptor.IsSupported)
        {
            _aesNi = new AesNiCfbEncryptor(key);
        }
        else
        {
            _aes = Aes.Create();
            _aes.Key = key;
        }
        Span<byte> prefix = stackalloc byte[BlockSize + 2];
        RandomNumberGenerator.Fill(prefix[..BlockSize]);
        prefix[BlockSize] = prefix[BlockSize - 2];
        prefix[BlockSize + 1] = prefix[BlockSize - 1];
        Write(prefix);
    }

    public override void Write(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _mdc.AppendData(data);
        Buffer(data);
    }

    private void Buffer(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            var n = Math.Min(BufferSize - _filled, data.Length);
            data[..n].CopyTo(_plain.AsSpan(_filled));
            _filled += n;
            data = data[n..];
            if (_filled == BufferSize) EncryptBuffered(final: false);
        }
    }

    /// <summary>Encrypts the whole blocks buffered (all of it when final, zero-padding only the cipher input).</summary>
    private void EncryptBuffered(bool final)
    {
        var whole = _filled - _filled % BlockSize;
        var length = final ? _filled : whole;
        var run = final ? (_filled + BlockSize - 1) / BlockSize * BlockSize : whole;
        if (run == 0) return;
        if (final) _plain.AsSpan(_filled, run - _filled).Clear();
        if (_aesNi != null) _aesNi.EncryptBlocks(_plain.AsSpan(0, run), _cipher.AsSpan(0, run));
        else _aes!.EncryptCfb(_plain.AsSpan(0, run), _iv, _cipher.AsSpan(0, run), PaddingMode.None, 128);
        _output.Write(_cipher, 0, length);
        if (!final)
        {
            _cipher.AsSpan(whole - BlockSize, BlockSize).CopyTo(_iv);
            var rest = _filled - whole;
            _plain.AsSpan(whole, rest).CopyTo(_plain);
            _filled = rest;
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_finished)
        {
            Span<byte> mdc = stackalloc byte[22];
            mdc[0] = 0xD3;
            mdc[1] = 0x14;
            _mdc.AppendData(mdc[..2]);
            _mdc.GetHashAndReset(mdc[2..]);
            Buffer(mdc);
            if (_filled > BufferSize - BlockSize) EncryptBuffered(final: false);
            EncryptBuffered(final: true);
            _finished = true;
            _aes?.Dispose();
            _mdc.Dispose();
            CryptographicOperations.ZeroMemory(_plain);
        }
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_finished;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
