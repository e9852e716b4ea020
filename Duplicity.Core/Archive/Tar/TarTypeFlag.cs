namespace Duplicity.Archive.Tar;

/// <summary>Tar typeflag bytes that duplicity writes or a reader meets.</summary>
internal static class TarTypeFlag
{
    public const byte Regular = (byte)'0';
    public const byte RegularOld = 0;
    public const byte HardLink = (byte)'1';
    public const byte Symlink = (byte)'2';
    public const byte CharacterDevice = (byte)'3';
    public const byte BlockDevice = (byte)'4';
    public const byte Directory = (byte)'5';
    public const byte Fifo = (byte)'6';
    public const byte Contiguous = (byte)'7';
    public const byte PaxExtended = (byte)'x';
    public const byte PaxGlobal = (byte)'g';
    public const byte SolarisExtended = (byte)'X';
    public const byte GnuLongName = (byte)'L';
    public const byte GnuLongLink = (byte)'K';
    public const byte GnuSparse = (byte)'S';

    /// <summary>Python tarfile's "regular" types, whose size counts data blocks.</summary>
    public static bool IsRegular(byte t) => t is Regular or RegularOld or Contiguous or GnuSparse;

    /// <summary>Types Python tarfile knows; the data of unknown types is skipped by their size too.</summary>
    public static bool IsSupported(byte t) => IsRegular(t) || t is HardLink or Symlink or Directory or Fifo or CharacterDevice or BlockDevice or GnuLongName or GnuLongLink;

    /// <summary>Whether an entry of this type is followed by <c>size</c> bytes of data.</summary>
    public static bool HasData(byte t) => IsRegular(t) || !IsSupported(t);
}
