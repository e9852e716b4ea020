using System.Text;
using Duplicity.Files;

namespace Duplicity.Tests.Support;

/// <summary>A day of changes applied to a <see cref="TestTree"/>: edits, appends, inserts, adds, deletes, renames, chmods, type changes.</summary>
public static class TreeMutator
{
    public static void Mutate(string root, int step)
    {
        var rnd = new Random(step * 7919);
        long t = 1_600_000_000 + step * 1000L;
        void Touch(string rel) => Posix.SetModificationTime(Encoding.UTF8.GetBytes(Path.Combine(root, rel)), t);

        File.WriteAllText(Path.Combine(root, "a.txt"), $"alpha version {step}\n");
        Touch("a.txt");

        var big = Path.Combine(root, "big.bin");
        var data = File.ReadAllBytes(big).ToList();
        switch (step % 3)
        {
            case 0: data.AddRange(RandomBytes(rnd, 70_000)); break;                              // append
            case 1: data.InsertRange(0, RandomBytes(rnd, 1234)); break;                         // front insert
            default:                                                                             // overwrite the middle
                var arr = data.ToArray();
                RandomBytes(rnd, 5000).CopyTo(arr, Math.Max(0, arr.Length / 2 - 2500));
                data = arr.ToList();
                break;
        }
        File.WriteAllBytes(big, data.ToArray());
        Touch("big.bin");

        File.WriteAllText(Path.Combine(root, "sub", $"added{step}.txt"), $"added in step {step}\n");
        Touch($"sub/added{step}.txt");
        var previousAdded = Path.Combine(root, "sub", $"added{step - 1}.txt");
        if (step % 2 == 0 && File.Exists(previousAdded)) File.Delete(previousAdded);

        var link = Path.Combine(root, "link");
        File.Delete(link);
        Posix.Symlink(Encoding.UTF8.GetBytes(step % 2 == 0 ? "a.txt" : "big.bin"), Encoding.UTF8.GetBytes(link));

        Posix.Chmod(Encoding.UTF8.GetBytes(Path.Combine(root, "private.key")), step % 2 == 0 ? 0x180 : 0x1A0); // mode-only change

        if (step == 3)
        {
            File.Delete(Path.Combine(root, "file with space.txt"));
            Directory.CreateDirectory(Path.Combine(root, "file with space.txt"));      // file becomes a directory
            File.WriteAllText(Path.Combine(root, "file with space.txt", "inside"), "now a dir\n");
            Touch("file with space.txt/inside");
            Touch("file with space.txt");
        }
        if (step == 5) File.Move(Path.Combine(root, "a-b"), Path.Combine(root, "renamed-a-b"));
        if (step == 6) Directory.Delete(Path.Combine(root, "sub", "nested"), recursive: true);
        if (step == 7) { File.WriteAllBytes(Path.Combine(root, "empty.txt"), RandomBytes(rnd, 100_000)); Touch("empty.txt"); }
        if (step == 8) { File.WriteAllBytes(Path.Combine(root, "empty.txt"), []); Touch("empty.txt"); }

        foreach (var dir in new[] { "sub", "." })
            Posix.SetModificationTime(Encoding.UTF8.GetBytes(Path.Combine(root, dir)), t);
    }

    private static byte[] RandomBytes(Random rnd, int n)
    {
        var b = new byte[n];
        rnd.NextBytes(b);
        return b;
    }
}
