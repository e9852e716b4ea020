namespace Duplicity.Files;

/// <summary>
/// Holds a restore to duplicity's index order: every entry strictly after the previous one, so an
/// entry can appear only once and a directory always before its contents, and nothing under an entry
/// that is not a directory. A hostile archive that repeats a name (a symlink, then a directory of the
/// same name) or puts entries below a link is stopped before anything is written for that entry.
/// </summary>
internal sealed class RestoreEntryOrder
{
    private IndexPath? _last;
    private bool _lastIsDirectory;

    /// <summary>Accepts the next entry or throws.</summary>
    /// <exception cref="ArchiveCorruptException">Duplicated, out of order, or below a non-directory.</exception>
    public void Admit(IndexPath index, FileEntryType type)
    {
        if (_last is { } last)
        {
            if (index == last)
                throw new ArchiveCorruptException($"The archive holds '{index}' more than once.");
            if (index < last)
                throw new ArchiveCorruptException($"The archive's entries are out of order: '{index}' comes after '{last}'.");
            // Everything below 'last' sorts right after it, so only the previous entry can be a parent here.
            if (!_lastIsDirectory && index.StartsWith(last))
                throw new UnsafePathException(index.ToString(), $"'{last}' is not a directory in the archive");
        }
        _last = index;
        _lastIsDirectory = type == FileEntryType.Directory;
    }
}
