using Duplicity.Files;

namespace Duplicity.Archive.Volumes;

/// <summary>A volume written to a temporary file, ready to upload, with its manifest entry facts.</summary>
internal sealed record FinishedVolume
{
    public required int Number { get; init; }
    public required string TempPath { get; init; }
    public required long Size { get; init; }
    public required string Sha1Hex { get; init; }
    public required VolumeRange Range { get; init; }

    /// <summary>Where a restore of one path may begin reading (empty unless we compressed the volume ourselves).</summary>
    public IReadOnlyList<VolumeSeekPoint> SeekPoints { get; init; } = [];
}

/// <summary>The first and last entry of a volume (manifest StartingPath / EndingPath).</summary>
internal readonly record struct VolumeRange(IndexPath StartIndex, int? StartBlock, IndexPath EndIndex, int? EndBlock)
{
    /// <summary>The range of a volume with no entries (<c>.</c> to <c>.</c>).</summary>
    public static VolumeRange Empty => new(IndexPath.Root, null, IndexPath.Root, null);
}
