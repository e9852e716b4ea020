using System.Numerics;
using System.Runtime.CompilerServices;

namespace Duplicity.Rsync;

/// <summary>
/// Finds the signature blocks whose weak sum equals a window's. A bit filter answers "surely
/// not" for almost every window of unmatched data in one load; buckets then list candidate blocks
/// in index order, so the first strong match is the lowest block index as in librsync.
/// </summary>
internal sealed class WeakSumIndex
{
    private const uint HashMultiplier = 0x9E3779B1u;

    /// <summary>Bit set over the top <c>32 - FilterShift</c> bits of the mixed weak sum.</summary>
    internal readonly ulong[] Filter;

    /// <summary>Right shift that turns a mixed weak sum into a filter bit number.</summary>
    internal readonly int FilterShift;

    private readonly int _bucketShift;
    private readonly int[] _bucketStart;
    private readonly int[] _blocks;
    private readonly uint[] _weakSums;

    public WeakSumIndex(uint[] weakSums, int count)
    {
        _weakSums = weakSums;
        int log = count <= 1 ? 0 : BitOperations.Log2((uint)(count - 1)) + 1;
        int filterBits = Math.Clamp(log + 4, 10, 30);
        int bucketBits = Math.Clamp(log + 1, 1, 28);
        FilterShift = 32 - filterBits;
        _bucketShift = 32 - bucketBits;
        Filter = new ulong[(1 << filterBits) / 64];
        _bucketStart = new int[(1 << bucketBits) + 1];
        _blocks = new int[count];

        // Counting sort by bucket keeps block indices ascending inside each bucket.
        for (int i = 0; i < count; i++)
        {
            uint mixed = weakSums[i] * HashMultiplier;
            uint bit = mixed >> FilterShift;
            Filter[bit >> 6] |= 1UL << (int)(bit & 63);
            _bucketStart[(mixed >> _bucketShift) + 1]++;
        }

        for (int b = 1; b < _bucketStart.Length; b++)
        {
            _bucketStart[b] += _bucketStart[b - 1];
        }

        int[] next = (int[])_bucketStart.Clone();
        for (int i = 0; i < count; i++)
        {
            uint bucket = (weakSums[i] * HashMultiplier) >> _bucketShift;
            _blocks[next[bucket]++] = i;
        }
    }

    /// <summary>Mixes a weak sum; the filter and buckets use its top bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Mix(uint weakSum) => weakSum * HashMultiplier;

    /// <summary>False when no block has this weak sum; true when one may.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MayContain(uint weakSum)
    {
        uint bit = Mix(weakSum) >> FilterShift;
        return (Filter[bit >> 6] & (1UL << (int)(bit & 63))) != 0;
    }

    /// <summary>
    /// Blocks that share this weak sum's bucket, ascending; callers check each block's weak sum
    /// with <see cref="WeakSumOf"/> since different sums can share a bucket.
    /// </summary>
    public ReadOnlySpan<int> Bucket(uint weakSum)
    {
        uint bucket = Mix(weakSum) >> _bucketShift;
        int start = _bucketStart[bucket];
        return _blocks.AsSpan(start, _bucketStart[bucket + 1] - start);
    }

    /// <summary>The weak sum of block <paramref name="block"/>.</summary>
    public uint WeakSumOf(int block) => _weakSums[block];
}
