namespace Duplicity.Archive.Naming;

/// <summary>The kinds of file duplicity stores on a backend.</summary>
public enum RemoteFileKind
{
    /// <summary>A volume of a full backup (<c>duplicity-full.T.volN.difftar</c>).</summary>
    FullVolume,
    /// <summary>The manifest of a full backup (<c>duplicity-full.T.manifest</c>).</summary>
    FullManifest,
    /// <summary>A volume of an incremental backup (<c>duplicity-inc.S.to.E.volN.difftar</c>).</summary>
    IncrementalVolume,
    /// <summary>The manifest of an incremental backup (<c>duplicity-inc.S.to.E.manifest</c>).</summary>
    IncrementalManifest,
    /// <summary>The signatures of a full backup (<c>duplicity-full-signatures.T.sigtar</c>).</summary>
    FullSignatures,
    /// <summary>The signatures of an incremental backup (<c>duplicity-new-signatures.S.to.E.sigtar</c>).</summary>
    NewSignatures,
}
