using Duplicity.Diagnostics;
using Duplicity.Files;
using Microsoft.Extensions.Logging;

namespace Duplicity.Sessions.Backup;

/// <summary>Where a backup tells what it does: the log (the console's A/M/D lines) and the host's typed events.</summary>
internal sealed class BackupEventSink(ILogger logger, IProgress<BackupEvent>? events)
{
    public ILogger Logger => logger;

    public bool WantsProgress => events != null;

    public void EntryChanged(IndexPath path, BackupEntryChange change)
    {
        switch (change)
        {
            case BackupEntryChange.Added: BackupLog.FileAdded(logger, path); break;
            case BackupEntryChange.Modified: BackupLog.FileChanged(logger, path); break;
            default: BackupLog.FileDeleted(logger, path); break;
        }
        events?.Report(new BackupEntryChanged(path.ToString(), change));
    }

    public void VolumeStored(int number, string name, long size)
    {
        BackupLog.VolumeUploaded(logger, name, size);
        events?.Report(new BackupVolumeStored(number, name, size));
    }

    public void Progressed(in TransferProgress progress) => events?.Report(new BackupProgressed(progress));
}
