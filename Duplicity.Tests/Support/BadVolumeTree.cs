using Duplicity.Archive.Manifests;
using Duplicity.Files;

namespace Duplicity.Tests.Support;

/// <summary>
/// The tree the ignore-errors tests make one volume of bad: incompressible a.bin, b.bin, five c files,
/// d.bin and e.txt, in that order. Sized by the caller for its volume size so that the c files lie in one
/// volume that b.bin runs into and d.bin runs out of, while a.bin and e.txt lie in other volumes.
/// </summary>
public static class BadVolumeTree
{
    /// <summary>Writes the tree into <paramref name="source"/> (created); the same seed gives the same bytes.</summary>
    public static void Create(string source, int aBytes, int bBytes, int cBytes, int dBytes, int eBytes = 3_000)
    {
        Directory.CreateDirectory(source);
        var random = new Random(15);
        void Write(string name, int size)
        {
            var data = new byte[size];
            random.NextBytes(data);
            File.WriteAllBytes(Path.Combine(source, name), data);
        }
        Write("a.bin", aBytes);
        Write("b.bin", bBytes);
        for (int i = 1; i <= 5; i++) Write($"c{i}.txt", cBytes);
        Write("d.bin", dBytes);
        Write("e.txt", eBytes);
    }

    /// <summary>The number of the volume whose range in <paramref name="manifest"/> holds <paramref name="path"/>.</summary>
    public static int VolumeHolding(byte[] manifest, string path)
    {
        var index = IndexPath.Parse(path);
        return ManifestParser.Parse(manifest).Volumes.Values.Single(v => v.StartPath <= index && index <= v.EndPath).Number;
    }
}
