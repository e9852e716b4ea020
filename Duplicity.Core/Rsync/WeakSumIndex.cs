using System.Numerics;
using System.Runtime.CompilerServices;

namespace Duplicity.Rsync;

/// <summary>
/// Finds the signature blocks whose weak sum equals a window's. A bit filter answers "surely
/// not" for almost every window of unmatched data in one load; buckets then list candidate blocks
/// in index order, so the first strong match is the lowest block index as in librsync.
/// </summary>
/// <remarks>
/// Sized for files of millions of blocks: about 16 bits of filter and 6 bytes of buckets per block
/// (one or two blocks per bucket), built without a second copy of any table.
/// </remarks>
internal sealed class WeakSumIndex
{
    private const uint HashMultiplier = 0x9E3779B1u;

    /// <summary>Bit set over the top <c>32 - FilterShift</c> bits of the mixed weak sum.</summary>
    internal readonly ulong[] Filter;

    /// <summary>Right shift that turns a mixed weak sum into a filter bit number.</summary>
    internal readonly int FilterShift;

    private readonly int _bucketShift;

    // Bucket b's blocks are _blocks[_bucketStart[b] .. _bucketStart[b + 1]).
    private readonly int[] _bucketStart;
    private readonly int[] _blocks;
    private readonly Signature _signature;

    public WeakSumIndex(Signature signature)
    {
        _signature = signature;
        int count = signature.BlockCount;
        int log = count <= 1 ? 0 : BitOperations.Log2((uint)(count - 1)) + 1;
        int filterBits = Math.Clamp(log + 4, 10, 30);
        int bucketBits = Math.Clamp(log - 1, 1, 27);
        FilterShift = 32 - filterBits;
        _bucketShift = 32 - bucketBits;
        Filter = new ulong[(1 << filterBits) / 64];
        int buckets = 1 << bucketBits;
        // Two slots more than the bucket bounds need: the placement below runs the bounds two places up.
        _bucketStart = new int[buckets + 2];
        _blocks = new int[count];

        // Counting sort by bucket. After the prefix sums _bucketStart[b + 2] is the end of bucket b;
        // placing blocks from the last down, each lands just below its bucket's end and moves that
        // bound down, so at the finish _bucketStart[b + 2] is the start of bucket b, blocks ascending.
        ForEachWeakSum(weak =>
        {
            uint mixed = weak * HashMultiplier;
            uint bit = mixed >> FilterShift;
            Filter[bit >> 6] |= 1UL << (int)(bit & 63);
            _bucketStart[(mixed >> _bucketShift) + 2]++;
        });
        for (int b = 2; b < _bucketStart.Length; b++)
        {
            _bucketStart[b] += _bucketStart[b - 1];
        }

        for (int i = count - 1; i >= 0; i--)
        {
            uint bucket = (signature.WeakSum(i) * HashMultiplier) >> _bucketShift;
            _blocks[--_bucketStart[bucket + 2]] = i;
        }

        // Shift the bounds into place: start of bucket b at [b], its end at [b + 1].
        Array.Copy(_bucketStart, 2, _bucketStart, 0, buckets);
        _bucketStart[buckets] = count;
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
    public uint WeakSumOf(int block) => _signature.WeakSum(block);

    private void ForEachWeakSum(Action<uint> action)
    {
        int left = _signature.BlockCount;
        for (int k = 0; left > 0; k++)
        {
            var segment = _signature.WeakSumSegment(k);
            int n = Math.Min(left, segment.Length);
            for (int i = 0; i < n; i++) action(segment[i]);
            left -= n;
        }
    }
}
