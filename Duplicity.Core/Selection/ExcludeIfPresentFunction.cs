using Duplicity.Files;

namespace Duplicity.Selection;

/// <summary>--exclude-if-present NAME: excludes a directory whose listing contains NAME.</summary>
internal sealed class ExcludeIfPresentFunction : SelectionFunction
{
    private readonly string _name;
    private readonly byte[] _nameBytes;
    private readonly bool _canBeListed;

    public ExcludeIfPresentFunction(string name)
    {
        _name = name;
        _nameBytes = PathText.Encode(name);
        // A listing never holds "", ".", ".." or a name with '/'.
        _canBeListed = _nameBytes.Length > 0 && !_nameBytes.AsSpan().Contains((byte)'/') && name != "." && name != "..";
    }

    public override string Name => "Command-line exclude-if-present filename: " + _name;

    public override bool CanExclude => true;

    public override RuleVerdict Evaluate(in SelectionCandidate candidate)
    {
        if (!candidate.IsDirectory || !_canBeListed || candidate.Entry is not { } entry) return RuleVerdict.None;
        byte[] child = LocalFile.Join(entry.FullPath, _nameBytes);
        var layer = FileLayer.Current;
        if (layer.TryLstat(child, out _, out int errno))
            return layer.IsReadable(entry.FullPath, out _) ? RuleVerdict.Exclude : RuleVerdict.None;
        if (errno == PosixException.ENOENT) return RuleVerdict.None;
        // Not searchable: fall back to the listing, which needs only read permission (as duplicity does).
        try
        {
            foreach (var name in layer.ReadDirectory(entry.FullPath))
                if (name.AsSpan().SequenceEqual(_nameBytes)) return RuleVerdict.Exclude;
        }
        catch (PosixException)
        {
            // duplicity warns and treats an unreadable directory as not containing the name.
        }
        return RuleVerdict.None;
    }
}
