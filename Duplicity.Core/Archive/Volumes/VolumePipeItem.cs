namespace Duplicity.Archive.Volumes;

/// <summary>
/// One message from the tar producer to the volume encoder: a pooled buffer of tar bytes, the end
/// of the current volume (with its manifest range), or a size probe the encoder answers with the
/// current volume's stored size once everything before it is encoded. The end of a volume carries the
/// tar headers noted on the way (<see cref="VolumeSeekIndex"/>).
/// </summary>
internal readonly record struct VolumePipeItem(byte[]? Buffer, int Length, VolumeRange? EndOfVolume, TaskCompletionSource<long>? Probe = null,
    IReadOnlyList<VolumeEntryPoint>? EntryPoints = null);
