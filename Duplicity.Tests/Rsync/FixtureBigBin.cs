using System.Text;
using static Duplicity.Tests.Rsync.RsyncTestData;

namespace Duplicity.Tests.Rsync;

/// <summary>The three stages of big.bin in fixtures/plain, rebuilt from FIXTURE.md's definition.</summary>
internal static class FixtureBigBin
{
    public static byte[] Stage1() => Sha256Stream("big", 320000);

    public static byte[] Stage2()
    {
        byte[] data = Stage1();
        Encoding.ASCII.GetBytes("0123456789").CopyTo(data, 70000);
        return data;
    }

    public static byte[] Stage3() => [.. Stage2(), .. Sha256Stream("tail", 66000)];
}
