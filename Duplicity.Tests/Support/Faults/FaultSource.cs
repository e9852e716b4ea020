using System.Text;
using Duplicity.Files;

namespace Duplicity.Tests.Support.Faults;

/// <summary>Source trees big enough for several 1 MiB volumes: every entry kind plus incompressible files.</summary>
public static class FaultSource
{
    public const int MiB = 1024 * 1024;

    /// <summary>A <see cref="TestTree"/> with <paramref name="randomMiB"/> random 1 MiB files (all mtimes fixed).</summary>
    public static void Create(string root, int randomMiB)
    {
        Directory.CreateDirectory(root);
        AddRandomFiles(root, "random", randomMiB, seed: 1);
        TestTree.CreateEveryKind(root, bigFileBytes: 200_000);
    }

    /// <summary>The same tree a day later: <see cref="TreeMutator"/>'s changes plus <paramref name="newMiB"/> new random MiB.</summary>
    public static void CreateChanged(string root, int randomMiB, int newMiB)
    {
        Create(root, randomMiB);
        TreeMutator.Mutate(root, 1);
        AddRandomFiles(root, "added", newMiB, seed: 2);
        Posix.SetModificationTime(Encoding.UTF8.GetBytes(root), 1_600_002_000);
    }

    private static void AddRandomFiles(string root, string prefix, int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            var data = new byte[MiB];
            random.NextBytes(data);
            var path = Path.Combine(root, $"{prefix}{i}.bin");
            File.WriteAllBytes(path, data);
            Posix.SetModificationTime(Encoding.UTF8.GetBytes(path), 1_600_001_000 + i);
        }
    }

    /// <summary>Copies a folder of plain files and folders (a file backend, an archive dir).</summary>
    public static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.EnumerateDirectories(from))
            CopyFolder(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}
