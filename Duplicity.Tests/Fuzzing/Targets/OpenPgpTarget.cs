using Duplicity.Crypto;

namespace Duplicity.Tests.Fuzzing.Targets;

/// <summary>
/// <see cref="OpenPgpDecryptor"/> and <see cref="DecryptedMessageStream"/> (and through them
/// <see cref="SeipdDecryptStream"/>) on whole messages, decrypted with the known passphrase and read
/// to the end. Contract: <see cref="DuplicityException"/> with duplicity's gpg error code 31
/// (<see cref="ArchiveCorruptException"/>, <see cref="WrongPassphraseException"/>, no usable key).
/// </summary>
internal class OpenPgpTarget : FuzzTarget
{
    /// <summary>The passphrase of the seed messages (and of the gpg fixture).</summary>
    public const string Passphrase = "duplicity-test";

    private static readonly Lazy<DecryptionOptions> Options = new(() =>
    {
        var ring = new OpenPgpKeyring();
        using (var key = File.OpenRead(Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "gpg", "ed-nopass.pub.asc")))
            ring.AddExportAsync(key).GetAwaiter().GetResult();
        return new DecryptionOptions { PassphraseSource = new FixedPassphraseSource(Passphrase), Keyring = ring };
    });

    /// <summary>The known passphrase and the seed signer's public key.</summary>
    public static DecryptionOptions DecryptionOptions => Options.Value;

    public override string Name => "openpgp";

    public override string Contract => "DuplicityException with code GpgFailed (31)";

    public override bool IsExpected(Exception error) => error is DuplicityException { Code: DuplicityErrorCode.GpgFailed };

    public override IReadOnlyList<byte[]> Dictionary { get; } = [[0x8C], [0xC3], [0xD2], [0xC9], [0xA3], [0xCB], [0xD3, 0x14], [0x04, 0x09, 0x03, 0x08], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF]];

    /// <summary>
    /// Keeps a leading passphrase packet's S2K cheap: an iterated count at most gpg's lowest (65536
    /// bytes; the maximum hashes 65 MB per input, as in gpg) and an Argon2 memory exponent at most 16
    /// (64 MiB), so every input stays cheap. The decryptor itself refuses m above 21 (see Argon2CostTests);
    /// up to that BouncyCastle really allocates 2^m KiB, which would make the pass slow, not wrong.
    /// </summary>
    public override byte[] Fixup(byte[] input, Random random)
    {
        const int IteratedCount = 14, Argon2Memory = 23;
        if (input.Length <= IteratedCount || input[0] != 0x8C) return input;
        var copy = (byte[])input.Clone();
        if (copy[4] == 3 && copy[IteratedCount] > 0x60) copy[IteratedCount] = 0x60;
        if (copy[4] == 4 && copy.Length > Argon2Memory && copy[Argon2Memory] > 16) copy[Argon2Memory] = 16;
        return copy;
    }

    public override void Execute(byte[] input, FuzzBudget budget) => Decrypt(input, budget);

    protected static void Decrypt(byte[] message, FuzzBudget budget)
    {
        using DecryptedMessageStream plain = OpenPgpDecryptor.OpenReadAsync(new MeteredStream(message, budget, shortReads: message.Length % 2 == 0), Options.Value)
            .AsTask().GetAwaiter().GetResult();
        var buffer = new byte[8192];
        while (plain.Read(buffer) > 0) budget.Check();
    }
}
