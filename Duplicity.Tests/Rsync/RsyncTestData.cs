using System.Security.Cryptography;
using System.Text;
using Duplicity.Rsync;

namespace Duplicity.Tests.Rsync;

/// <summary>Runs our signature/delta/patch code over byte arrays, feeding input in random chunk sizes.</summary>
internal static class RsyncTestData
{
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "").Replace("|", ""));

    public static byte[] MakeSignature(ReadOnlySpan<byte> data, int blockLength, Random? chunking = null)
    {
        var output = new MemoryStream();
        var builder = new SignatureBuilder(blockLength, output);
        foreach (var range in Chunks(data.Length, chunking))
        {
            builder.Append(data[range]);
        }

        builder.Complete();
        return output.ToArray();
    }

    public static byte[] MakeDelta(byte[] signature, ReadOnlySpan<byte> data, Random? chunking = null)
    {
        var output = new MemoryStream();
        // The size announced (or not) sets only the generator's buffer; the delta must not depend on it.
        long expectedLength = chunking?.Next(3) switch { 1 => data.Length, 2 => chunking.Next(0, data.Length + 1), _ => -1 };
        var generator = new DeltaGenerator(Signature.Parse(signature), output, expectedLength);
        foreach (var range in Chunks(data.Length, chunking))
        {
            generator.Append(data[range]);
        }

        generator.Complete();
        return output.ToArray();
    }

    public static byte[] Patch(byte[] basis, byte[] delta)
    {
        var output = new MemoryStream();
        DeltaPatcher.ApplyAsync(new MemoryStream(basis), new MemoryStream(delta), output, CancellationToken.None).GetAwaiter().GetResult();
        return output.ToArray();
    }

    /// <summary>Whole input at once, or random pieces (often tiny, sometimes large) when a Random is given.</summary>
    public static IEnumerable<Range> Chunks(int length, Random? chunking)
    {
        if (chunking is null)
        {
            yield return 0..length;
            yield break;
        }

        int pos = 0;
        while (pos < length)
        {
            int size = chunking.Next(4) switch
            {
                0 => chunking.Next(1, 8),
                1 => chunking.Next(1, 700),
                2 => chunking.Next(1, 5000),
                _ => chunking.Next(1, 70000),
            };
            size = Math.Min(size, length - pos);
            yield return pos..(pos + size);
            pos += size;
        }
    }

    /// <summary>The fixture's SHA-256 stream: SHA256("L-0") || SHA256("L-1") || ... cut to length.</summary>
    public static byte[] Sha256Stream(string label, int length)
    {
        var result = new byte[length];
        for (int counter = 0, pos = 0; pos < length; counter++, pos += 32)
        {
            byte[] hash = SHA256.HashData(Encoding.ASCII.GetBytes($"{label}-{counter}"));
            hash.AsSpan(0, Math.Min(32, length - pos)).CopyTo(result.AsSpan(pos));
        }

        return result;
    }

    public static string Sha256Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
