namespace Duplicity.Samples;

/// <summary>Usage text in duplicity's shape.</summary>
internal static class HelpText
{
    public const string Usage = """
Usage: 
  duplicity [full|incremental] [options] source_dir target_url
  duplicity [restore] [options] source_url target_dir
  duplicity verify [options] source_url target_dir
  duplicity collection-status [options] target_url
  duplicity list-current-files [options] target_url
  duplicity cleanup [options] target_url
  duplicity remove-older-than time [options] target_url
  duplicity remove-all-but-n-full count [options] target_url
  duplicity remove-all-inc-of-but-n-full count [options] target_url
  duplicity replicate source_url target_url
""";

    public static string Text => Usage + """

Backends and their URL formats:
  file:///some_dir

Commands:
  cleanup <target_url>
  collection-status <target_url>
  full <source_dir> <target_url>
  incr <source_dir> <target_url>
  list-current-files <target_url>
  remove-all-but-n-full <count> <target_url>
  remove-all-inc-of-but-n-full <count> <target_url>
  remove-older-than <time> <target_url>
  replicate <source_url> <target_url>
  restore <source_url> <target_dir>
  verify <target_url> <source_dir>

""";
}
