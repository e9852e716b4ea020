using Duplicity.Repository;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Duplicity.Backends;
using Duplicity.Files;
using Duplicity.Sessions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Sessions;

/// <summary>Archives made by the real duplicity 0.8.22 (shared fixtures) restore to their expected trees.</summary>
[Category("Unit")]
public class FixtureRestoreTests
{
    private static string FixtureRemote(string name) =>
        Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "fixtures", name, "remote");

    private static JsonElement Expected(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "fixtures", name, "expected.json"))).RootElement;

    [TestCase("20200913T122820Z")]
    [TestCase("20200913T132820Z")]
    [TestCase("20200913T142820Z")]
    public async Task PlainFixtureRestoresToExpectedTree(string time)
    {
        using var tmp = new TempFolder();
        var expected = Expected("plain");
        long seconds = expected.GetProperty("times").GetProperty(time).GetInt64();
        await using var backend = new FileBackend(FixtureRemote("plain"));
        var target = tmp.Sub("out");
        await Support.Sessions.RestoreAsync(backend, new RepositoryOptions
        {
            ArchiveDirectory = tmp.Sub("cache"),
            Name = "fixture",
        }, new RestoreOptions
        {
            Target = target,
            Time = DateTimeOffset.FromUnixTimeSeconds(seconds),
            Ownership = OwnershipRestore.None,
        });

        var rows = expected.GetProperty("trees").GetProperty(time).EnumerateArray().ToList();
        var restored = Directory.EnumerateFileSystemEntries(target, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(target, p)).Order(StringComparer.Ordinal).ToList();
        Assert.That(restored, Is.EqualTo(rows.Select(r => r.GetProperty("path").GetString()).Where(p => p != ".").Order(StringComparer.Ordinal).ToList()));
        foreach (var row in rows)
        {
            var rel = row.GetProperty("path").GetString()!;
            var full = rel == "." ? target : Path.Combine(target, rel);
            var st = Posix.Lstat(Encoding.UTF8.GetBytes(full));
            var type = row.GetProperty("type").GetString();
            Assert.That(st.EntryType, Is.EqualTo(type switch { "dir" => FileEntryType.Directory, "file" => FileEntryType.Regular, _ => FileEntryType.Symlink }), rel);
            if (type == "symlink")
            {
                Assert.That(Encoding.UTF8.GetString(Posix.ReadLink(Encoding.UTF8.GetBytes(full))), Is.EqualTo(row.GetProperty("target").GetString()), rel);
                continue;
            }
            Assert.That(Convert.ToString(st.Mode & 0xFFF, 8).PadLeft(4, '0'), Is.EqualTo(row.GetProperty("mode").GetString()), rel);
            Assert.That(st.MTimeSeconds, Is.EqualTo(row.GetProperty("mtime").GetInt64()), rel);
            if (type == "file")
            {
                Assert.That(st.Size, Is.EqualTo(row.GetProperty("size").GetInt64()), rel);
                Assert.That(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(full))), Is.EqualTo(row.GetProperty("sha256").GetString()), rel);
            }
        }
    }
}
