namespace Duplicity.Archive.Volumes;

/// <summary>
/// One message from the tar producer to the volume encoder: a pooled buffer of tar bytes, or the end
/// of the current volume (with its manifest range).
/// </summary>
internal readonly record struct VolumePipeItem(byte[]? Buffer, int Length, VolumeRange? EndOfVolume);
