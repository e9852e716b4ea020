using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Duplicity.Crypto;

/// <summary>
/// The plaintext of a message. At the end of the data it checks the MDC (a mismatch is corruption)
/// and the signature; <see cref="Signature"/> then tells who signed, and when an expected signer
/// was given, anything else is duplicity's error 22.
/// </summary>
public sealed class DecryptedMessageStream : Stream
{
    private readonly Stream _literal;
    private readonly PgpObjectFactory _factory;
    private readonly PgpEncryptedData _data;
    private readonly PgpOnePassSignature? _onePass;
    private readonly PgpPublicKey? _signer;
    private readonly string? _expectedSigner;
    private readonly Stream _input;
    private bool _ended;

    internal DecryptedMessageStream(Stream literal, PgpObjectFactory factory, PgpEncryptedData data, PgpOnePassSignature? onePass,
        PgpPublicKey? signer, string? expectedSigner, Stream input)
    {
        _literal = literal;
        _factory = factory;
        _data = data;
        _onePass = onePass;
        _signer = signer;
        _expectedSigner = expectedSigner;
        _input = input;
    }

    /// <summary>The signature check, available once the stream was read to its end (null before).</summary>
    public SignatureCheck? Signature { get; private set; }

    /// <summary>True when the message had an integrity check (MDC) and it matched.</summary>
    public bool IsIntegrityProtected { get; private set; }

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        if (_ended || buffer.Length == 0) return 0;
        int n;
        try
        {
            n = _literal.Read(buffer);
        }
        catch (Exception e) when (e is PgpException or IOException)
        {
            throw OpenPgpDecryptor.Corrupt("cannot read the encrypted data: " + e.Message, e);
        }
        if (n > 0)
        {
            _onePass?.Update(buffer[..n]);
            return n;
        }
        _ended = true;
        Finish();
        return 0;
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    private void Finish()
    {
        try
        {
            Signature = CheckSignature();
            // Drain what follows so that the MDC has been read, then check it.
            var sink = new byte[4096];
            var clear = _data.GetInputStream();
            while (clear.Read(sink, 0, sink.Length) > 0) { }
            if (_data.IsIntegrityProtected())
            {
                if (!_data.Verify()) throw OpenPgpDecryptor.Corrupt("the message was modified (MDC mismatch)");
                IsIntegrityProtected = true;
            }
        }
        catch (Exception e) when (e is PgpException or IOException)
        {
            throw OpenPgpDecryptor.Corrupt("cannot finish the message: " + e.Message, e);
        }
        if (_expectedSigner != null)
        {
            var actual = Signature is { IsValid: true, KeyId: { } id } ? id : "None";
            var expected = KeyIdentifier.Parse(_expectedSigner).Hex;
            var length = Math.Min(actual.Length, expected.Length);
            if (!string.Equals(actual[^length..], expected[^length..], StringComparison.Ordinal))
                throw new DuplicityException(DuplicityErrorCode.UnsignedVolume,
                    $"Volume was signed by key {actual[^length..]}, not {expected[^length..]}");
        }
    }

    private SignatureCheck CheckSignature()
    {
        if (_onePass == null) return SignatureCheck.Unsigned;
        var keyId = _onePass.KeyId.ToString("X16");
        var obj = _factory.NextPgpObject();
        if (obj is not PgpSignatureList list || list.Count == 0) return new SignatureCheck(true, false, keyId);
        var valid = _signer != null && _onePass.Verify(list[0]);
        return new SignatureCheck(true, valid, keyId);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) _input.Dispose();
        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    public override bool CanRead => true;
    /// <inheritdoc/>
    public override bool CanSeek => false;
    /// <inheritdoc/>
    public override bool CanWrite => false;
    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();
    /// <inheritdoc/>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    /// <inheritdoc/>
    public override void Flush() { }
    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();
    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
