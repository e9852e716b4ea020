using System.Buffers.Binary;

namespace Duplicity.Crypto;

/// <summary>
/// Reads GnuPG's keybox file (pubring.kbx): a run of blobs, each "length (4, big-endian), type (1),
/// version (1), flags (2), keyblock offset (4), keyblock length (4), ..."; type 2 blobs carry one
/// OpenPGP keyblock at the given offset inside the blob.
/// </summary>
internal static class KeyboxReader
{
    private const byte OpenPgpBlob = 2;

    /// <summary>Returns the raw OpenPGP keyblocks of every OpenPGP blob.</summary>
    public static List<byte[]> ReadKeyblocks(ReadOnlySpan<byte> file)
    {
        var blocks = new List<byte[]>();
        var pos = 0;
        while (pos < file.Length)
        {
            if (file.Length - pos < 5) throw Corrupt("truncated blob header");
            var length = BinaryPrimitives.ReadUInt32BigEndian(file[pos..]);
            if (length < 5 || length > (uint)(file.Length - pos)) throw Corrupt("blob length out of range");
            var blob = file.Slice(pos, (int)length);
            if (blob[4] == OpenPgpBlob)
            {
                if (blob.Length < 16) throw Corrupt("OpenPGP blob too short");
                var offset = BinaryPrimitives.ReadUInt32BigEndian(blob[8..]);
                var size = BinaryPrimitives.ReadUInt32BigEndian(blob[12..]);
                if (offset > (uint)blob.Length || size > (uint)blob.Length - offset) throw Corrupt("keyblock outside its blob");
                blocks.Add(blob.Slice((int)offset, (int)size).ToArray());
            }
            pos += (int)length;
        }
        return blocks;
    }

    private static DuplicityException Corrupt(string why) =>
        new(DuplicityErrorCode.GpgFailed, $"GPG error: the keybox file is corrupt ({why})");
}
