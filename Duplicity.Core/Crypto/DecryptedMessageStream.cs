using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Duplicity.Crypto;

/// <summary>
/// The plaintext of a message. At the end of the data it checks the MDC (a mismatch is corruption)
/// and the signature; <see cref="Signature"/> then tells who signed, and when an expected signer
/// was given, anything else is duplicity's error 22.
/// </summary>
internal sealed class DecryptedMessageStream : Stream
{
    private readonly Stream _literal;
    private readonly PgpObjectFactory _factory;
    private readonly Func<bool> _finishIntegrity;
    private readonly Stream? _decrypted;
    private readonly PgpOnePassSignature? _onePass;
    private readonly PgpPublicKey? _signer;
    private readonly string? _expectedSigner;
    private readonly Stream _input;
    private bool _ended;

    /// <param name="literal">The literal data packet's content: what readers of this stream get.</param>
    /// <param name="factory">The packet reader, for the signature packets after the literal data.</param>
    /// <param name="finishIntegrity">Reads the rest of the encrypted data and checks its MDC (throwing on a
    /// mismatch); returns whether there was one.</param>
    /// <param name="onePass">The one-pass signature header, when the message is signed.</param>
    /// <param name="signer">The signer's public key, when it is in the keyring.</param>
    /// <param name="expectedSigner">The key id a signature must come from, when one is required.</param>
    /// <param name="input">The encrypted input, disposed with this stream.</param>
    /// <param name="decrypted">A decrypting stream of our own to dispose with this one, if any.</param>
    internal DecryptedMessageStream(Stream literal, PgpObjectFactory factory, Func<bool> finishIntegrity, PgpOnePassSignature? onePass,
        PgpPublicKey? signer, string? expectedSigner, Stream input, Stream? decrypted)
    {
        _literal = literal;
        _factory = factory;
        _finishIntegrity = finishIntegrity;
        _decrypted = decrypted;
        _onePass = onePass;
        _signer = signer;
        _expectedSigner = expectedSigner;
        _input = input;
    }

    /// <summary>The signature check, available once the stream was read to its end (null before).</summary>
    public SignatureCheck? Signature { get; private set; }

    /// <summary>True when the data was decrypted by <see cref="SeipdDecryptStream"/> rather than BouncyCastle.</summary>
    internal bool DecryptedInHouse => _decrypted != null;

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
        catch (Exception e) when (e is PgpException or IOException or InvalidDataException or UnsupportedPacketVersionException)
        {
            throw OpenPgpDecryptor.Corrupt("cannot read the encrypted data: " + e.Message, e);
        }
        if (n > 0)
        {
            // Without the signer's public key the one-pass signature is never initialised: nothing to hash.
            if (_signer != null) _onePass?.Update(buffer[..n]);
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
            IsIntegrityProtected = _finishIntegrity();
        }
        catch (Exception e) when (e is PgpException or IOException or InvalidDataException or UnsupportedPacketVersionException)
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
        bool valid;
        try
        {
            valid = _signer != null && _onePass.Verify(list[0]);
        }
        catch (Exception e) when (e is NullReferenceException or IndexOutOfRangeException or ArgumentException or InvalidOperationException)
        {
            // BouncyCastle trips over some malformed signature packets instead of reporting them; gpg fails on them too.
            throw OpenPgpDecryptor.Corrupt("malformed signature packet: " + e.Message, e);
        }
        return new SignatureCheck(true, valid, keyId);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _decrypted?.Dispose();
            _input.Dispose();
        }
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
