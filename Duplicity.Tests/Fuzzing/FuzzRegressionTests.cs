using Duplicity.Archive.Naming;
using Duplicity.Archive.Signatures;
using Duplicity.Archive.Tar;
using Duplicity.Crypto;
using Duplicity.Tests.Fuzzing.Targets;

namespace Duplicity.Tests.Fuzzing;

/// <summary>
/// The bugs the fuzzer found, each as a plain test on its regression seed (TestData/fuzz/*/regress-*)
/// or on a real message made by gpg, so a reader sees what broke and what the fix promises.
/// </summary>
[Category("Fault")]
public class FuzzRegressionTests
{
    private static byte[] Seed(string target, string file) => File.ReadAllBytes(Path.Combine(FuzzRunner.SeedDirectory(target), file));

    private static readonly DecryptionOptions Passphrase = new() { PassphraseSource = new FixedPassphraseSource(OpenPgpTarget.Passphrase) };

    [TestCase("dns.k.s7gtarkfgwo4.st.g")]
    [TestCase("duplicity-full.99999999999999.manifest")]
    [TestCase("duplicity-inc.20200913T122820Z.to.253402300800.manifest")]
    public void A_remote_name_whose_time_is_past_year_9999_is_not_a_duplicity_name(string name)
    {
        // Such a time cannot be formatted: collection-status would throw ArgumentOutOfRangeException on it.
        Assert.That(RemoteFileName.TryParse(name, FileNamingOptions.Default), Is.Null);
        Assert.That(RemoteFileName.TryParse("duplicity-inc.20200913T122820Z.to.253402300799.manifest", FileNamingOptions.Default)?.EndTime,
            Is.EqualTo(253402300799), "the last second of 9999 is still a time");
    }

    [TestCase("duplicity-full.2020-09-13T12:2:00.manifest")]
    [TestCase("duplicity-full.2020-09-13T12:28:2.vol1.difftar.gz")]
    public void An_old_style_time_shorter_than_its_form_is_not_a_duplicity_name(string name)
    {
        // It threw ArgumentOutOfRangeException looking for the zone designator past the end.
        Assert.That(RemoteFileName.TryParse(name, FileNamingOptions.Default), Is.Null);
        Assert.That(RemoteFileName.TryParse("duplicity-full.2020-09-13T12:28:20Z.manifest", FileNamingOptions.Default)?.StartTime, Is.EqualTo(1600000100));
    }

    [TestCase("regress-pax-length-long-max.tar")]
    [TestCase("regress-pax-length-shorter-than-its-digits.tar")]
    public void A_pax_record_length_that_cannot_hold_the_record_is_corrupt(string file)
    {
        // "9223372036854775807 uname=..." overflowed the bounds check, "0000000006 k=v" sliced backwards:
        // both threw ArgumentOutOfRangeException.
        using var reader = new TarReader(new MemoryStream(Seed("tar", file)));
        Assert.Throws<ArchiveCorruptException>(() => { while (reader.Next() is not null) { } });
    }

    [Test]
    public void A_signature_archive_out_of_index_order_is_corrupt()
    {
        // The merge pairs entries by index order; unsorted input would pair a signature with the wrong file.
        using var reader = new CombinedSignatureReader([new MemoryStream(Seed("combined-signature", "regress-out-of-order.tar"))]);
        Assert.Throws<ArchiveCorruptException>(() => { while (reader.Next() is not null) { } });
    }

    [TestCase("regress-size-over-array-max.tar")]
    [TestCase("regress-size-1500MB.tar")]
    public void A_signature_entry_claiming_gigabytes_in_a_short_archive_is_corrupt_without_allocating_them(string file)
    {
        byte[] archive = Seed("combined-signature", file);
        long before = GC.GetAllocatedBytesForCurrentThread();
        using var reader = new CombinedSignatureReader([new MemoryStream(archive)]);
        Assert.Throws<ArchiveCorruptException>(() => reader.Next());
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(16 * 1024 * 1024));
    }

    [Test]
    public async Task An_encrypted_message_decrypts_from_a_stream_that_cannot_seek()
    {
        // Backend downloads (S3, SFTP, Swift) are forward-only; BouncyCastle's armor check wanted to rewind.
        byte[] message = Seed("openpgp", "aes256-zip-manifest.gpg");
        await using var plain = await OpenPgpDecryptor.OpenReadAsync(new ForwardOnlyStream(message), Passphrase);
        using var text = new StreamReader(plain);
        Assert.That(await text.ReadToEndAsync(), Does.StartWith("Hostname fixture-host\n"));
    }

    [Test]
    public async Task A_message_signed_by_a_key_not_in_the_keyring_reads_as_signed_but_unverified()
    {
        byte[] message = Seed("openpgp", "signed.gpg");
        await using var plain = await OpenPgpDecryptor.OpenReadAsync(new MemoryStream(message), Passphrase);
        Assert.That(new StreamReader(plain).ReadToEnd(), Is.EqualTo("alpha version 1\n"));
        Assert.That(plain.Signature, Is.Not.Null);
        Assert.That((plain.Signature!.IsSigned, plain.Signature.IsValid), Is.EqualTo((true, false)));
    }

    [TestCase("openpgp-inner", "regress-bzip2-invalid-operation.pkt")]
    [TestCase("openpgp-inner", "regress-onepass-unknown-signer.pkt")]
    [TestCase("openpgp", "regress-no-session-key-packet.gpg")]
    [TestCase("openpgp", "regress-skesk-version-0.gpg")]
    [TestCase("openpgp", "regress-skesk-unknown-cipher.gpg")]
    [TestCase("openpgp", "regress-argon2-bad-memory-exponent.gpg")]
    [TestCase("openpgp-inner", "regress-signature-bad-key-version.pkt")]
    [TestCase("openpgp-inner", "regress-malformed-signature-packet.pkt")]
    public void A_damaged_message_fails_with_gpg_error_31(string target, string file)
    {
        byte[] input = Seed(target, file);
        byte[] message = target == "openpgp-inner" ? OpenPgpInnerTarget.Encrypt(input) : input;
        var e = Assert.Catch<DuplicityException>(() =>
        {
            using var plain = OpenPgpDecryptor.OpenReadAsync(new MemoryStream(message), OpenPgpTarget.DecryptionOptions).AsTask().GetAwaiter().GetResult();
            plain.CopyTo(Stream.Null);
        });
        Assert.That(e!.Code, Is.EqualTo(DuplicityErrorCode.GpgFailed));
    }

    /// <summary>A network-like stream: reads only, no seeking, no length.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Duplicity.IO.ReadOnlyStream
    {
        private int _position;
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(count, data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }
    }
}
