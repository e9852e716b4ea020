using Duplicity.Archive.Volumes;
using Duplicity.Crypto;
using Duplicity.Files;

namespace Duplicity.Tests.Crypto;

/// <summary>
/// Entering a compressed OpenPGP message we wrote in its middle: the partial-body framing maps offsets
/// both ways, and every seek point built from a message's layout reads exactly the data from its entry on.
/// </summary>
[Category("Unit")]
public class OpenPgpSeekTests
{
    /// <summary>A packet body written through PartialBodyWriteStream, each byte naming its offset.</summary>
    private static (byte[] Packet, byte[] Body) Packet(int bodyLength)
    {
        var body = new byte[bodyLength];
        for (int i = 0; i < body.Length; i++) body[i] = (byte)(i * 7 + (i >> 16));
        var output = new MemoryStream();
        using (var packet = new PartialBodyWriteStream(output, 11))
            for (int i = 0; i < body.Length; i += 10_000) packet.Write(body.AsSpan(i, Math.Min(10_000, body.Length - i)));
        return (output.ToArray(), body);
    }

    // Final chunks of every header size (1, 2 and 5 bytes), an empty one, and a packet of one chunk.
    [TestCase(3 * 65536 + 100)]
    [TestCase(3 * 65536 + 5000)]
    [TestCase(3 * 65536 + 20000)]
    [TestCase(4 * 65536)]
    [TestCase(60000)]
    public void BodyOffsetsMapToTheirBytesAndEveryPartialChunkPositionReadsTheRestOfTheBody(int bodyLength)
    {
        var (packet, body) = Packet(bodyLength);
        for (long z = 0; z < bodyLength; z += 997)
            Assert.That(packet[PartialBodyLayout.PacketOffsetOf(z, bodyLength)], Is.EqualTo(body[z]), $"body offset {z}");
        // The last body byte ends the packet, unless an empty final chunk (a lone length byte) follows it.
        Assert.That(PartialBodyLayout.PacketOffsetOf(bodyLength - 1, bodyLength), Is.EqualTo(packet.Length - (bodyLength % 65536 == 0 ? 2 : 1)));

        int entered = 0;
        // Every position around each chunk header, and a spread of others.
        var positions = Enumerable.Range(0, packet.Length / 65537 + 1).SelectMany(c => Enumerable.Range(c * 65537 - 3, 8))
            .Concat(Enumerable.Range(0, packet.Length / 1999 + 1).Select(i => i * 1999))
            .Where(p => p >= 0 && p < packet.Length).Distinct();
        foreach (long p in positions)
        {
            if (!PartialBodyLayout.TryLocateInPartialChunk(p, bodyLength, out var z, out var remaining))
            {
                Assert.That(p == 0 || p >= 1 + bodyLength / 65536 * 65537, $"only the tag and the final chunk are refused ({p})");
                continue;
            }
            entered++;
            using var reader = new PartialBodyReadStream(new MemoryStream(packet, (int)p, packet.Length - (int)p), remaining);
            var rest = new MemoryStream();
            reader.CopyTo(rest);
            Assert.That(rest.ToArray(), Is.EqualTo(body[(int)z..]), $"from packet offset {p}");
        }
        Assert.That(entered, bodyLength >= 65536 ? Is.GreaterThan(50) : Is.Zero, "positions in partial chunks (a packet of one final chunk has none)");
    }

    [Test]
    public void ABodyCutShortFailsWithATypedError()
    {
        var (packet, _) = Packet(2 * 65536 + 10);
        foreach (var cut in new[] { 3, 65537, 65538, 65537 * 2 + 1, packet.Length - 1 })
        {
            using var reader = new PartialBodyReadStream(new MemoryStream(packet, 1, cut - 1), 0);
            Assert.Throws<ArchiveCorruptException>(() => reader.CopyTo(Stream.Null), $"cut at {cut}");
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task EverySeekPointOfAMessageReadsTheDataFromItsEntryOn(bool withSignature)
    {
        var data = new byte[3_500_000];
        var random = new Random(3);
        const string words = "north south east west up down left right ";
        for (int i = 0; i < data.Length; i++) data[i] = (byte)words[(i + random.Next(3)) % words.Length];
        var passphrase = new FixedPassphraseSource("seek");
        var options = EncryptionOptions.Passphrase(passphrase);
        OpenPgpKeyring? ring = null;
        if (withSignature)
        {
            ring = await GpgTestKeys.KeyringAsync("ed-nopass");
            options = options.WithSignKey(ring, GpgTestKeys.EdNoPass);
        }
        var encryptor = await OpenPgpEncryptor.CreateAsync(options);
        var stored = new MemoryStream();
        var message = encryptor.OpenWrite(stored);
        for (int i = 0; i < data.Length; i += 100_003)
            await message.WriteAsync(data.AsMemory(i, Math.Min(100_003, data.Length - i)));
        await message.DisposeAsync();
        var layout = ((IOpenPgpMessageLayoutSource)message).Layout!;
        Assert.That(layout.LiteralPacketStart, withSignature ? Is.GreaterThan(0) : Is.Zero, "a one-pass signature comes first");
        Assert.That(layout.LiteralBodyLength, Is.EqualTo(6 + data.Length));

        VolumeEntryPoint[] entries = [.. Enumerable.Range(0, 12).Select(i => new VolumeEntryPoint(IndexPath.Parse($"e{i:D2}"), i * 290_000L + i))];
        var points = VolumeSeekIndex.BuildForOpenPgp(entries, layout);
        Assert.That(points, Has.Count.GreaterThanOrEqualTo(8), "entries past the first deflate block get points");
        var decryptor = new OpenPgpDecryptor(new DecryptionOptions { PassphraseSource = passphrase, Keyring = ring });
        foreach (var point in points)
        {
            long tarOffset = entries.Single(e => e.Index == point.Index).TarOffset;
            stored.Position = 0;
            await using var opened = await decryptor.OpenAtAsync(stored, point.StoredOffset, point.ChunkRemaining);
            Assert.That(opened, Is.Not.Null);
            var skip = new byte[point.Skip];
            await opened!.ReadExactlyAsync(skip);
            var rest = new MemoryStream();
            await opened.CopyToAsync(rest);
            Assert.That(rest.ToArray(), Is.EqualTo(data[(int)tarOffset..]), $"entry at {tarOffset}");
        }
    }

    [Test]
    public async Task AMessageWithoutCompressionCannotBeEntered()
    {
        var passphrase = new FixedPassphraseSource("seek");
        var encryptor = await OpenPgpEncryptor.CreateAsync(EncryptionOptions.Passphrase(passphrase).WithCompression(false));
        var stored = new MemoryStream();
        await using (var message = encryptor.OpenWrite(stored))
        {
            await message.WriteAsync(new byte[300_000]);
            await message.DisposeAsync();
            Assert.That(((IOpenPgpMessageLayoutSource)message).Layout, Is.Null);
        }
        stored.Position = 0;
        var opened = await new OpenPgpDecryptor(new DecryptionOptions { PassphraseSource = passphrase }).OpenAtAsync(stored, 0, 0);
        Assert.That(opened, Is.Null);
    }
}
