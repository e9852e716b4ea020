using System.Text;
using Duplicity.Rsync;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Rsync;

[Category("Unit")]
public class Md4Tests
{
    [TestCase("", "31d6cfe0d16ae931b73c59d7e0c089c0")]
    [TestCase("a", "bde52cb31de33e46245e05fbdbd6fb24")]
    [TestCase("abc", "a448017aaf21d8525fc10ae87aa6729d")]
    [TestCase("message digest", "d9130a8164549fe818874806e1c7014b")]
    [TestCase("hello\n", "63481c78ae04c201fa01ea9d2b1db56d")]
    [TestCase("abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9")]
    [TestCase("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "043f8582f241db351ce627e153e7f0e4")]
    [TestCase("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "e33b4ddc9c38f2199c3e7b164fcc0536")]
    public void MatchesRfc1320AndSpecVectors(string input, string expected)
    {
        var digest = new byte[16];
        Md4.HashData(Encoding.ASCII.GetBytes(input), digest);
        Assert.That(Convert.ToHexStringLower(digest), Is.EqualTo(expected));
    }

    [Test]
    public void RejectsShortDestination()
    {
        Assert.Throws<ArgumentException>(() => Md4.HashData([1, 2, 3], new byte[15]));
    }
}

[Category("Unit")]
public class Md4ParallelTests
{
    [TestCase(1)]
    [TestCase(55)]
    [TestCase(64)]
    [TestCase(777)]
    [TestCase(2048)]
    public void EightLanesEqualScalarMd4(int length)
    {
        if (!Md4Parallel.IsSupported)
        {
            Requirement.Missing("No AVX2 on this machine.");
        }

        byte[] data = new byte[8 * length + 3];
        new Random(length).NextBytes(data);
        byte[] digests = new byte[8 * 16];
        Md4Parallel.HashEight(data, length, digests);
        for (int lane = 0; lane < 8; lane++)
        {
            byte[] expected = new byte[16];
            Md4.HashData(data.AsSpan(lane * length, length), expected);
            Assert.That(digests[(lane * 16)..(lane * 16 + 16)], Is.EqualTo(expected), $"lane {lane}");
        }
    }
}
