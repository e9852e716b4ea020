namespace Duplicity.Backends.Rclone;

/// <summary>How the rclone backend runs the <c>rclone</c> program.</summary>
public sealed class RcloneBackendOptions
{
    /// <summary>The rclone program: a name looked up on <c>PATH</c> or a full path. Defaults to <c>rclone</c>.</summary>
    public string Executable { get; set; } = "rclone";

    /// <summary>
    /// The rclone configuration file, passed as <c>--config</c>. Null (the default): rclone's own choice,
    /// i.e. <c>RCLONE_CONFIG</c> from <see cref="BackendOpenOptions.Environment"/>, else
    /// <c>~/.config/rclone/rclone.conf</c>.
    /// </summary>
    public string? ConfigFile { get; set; }

    /// <summary>
    /// Extra arguments given to every rclone command before the paths (for example <c>--contimeout=30s</c>
    /// or a backend flag). Arguments are passed as they are, without a shell; never put secrets here, use
    /// rclone's configuration or <c>RCLONE_*</c> environment variables.
    /// </summary>
    public IList<string> ExtraArguments { get; } = [];

    /// <summary>A copy, so later changes of this instance do not reach backends opened with the copy.</summary>
    public RcloneBackendOptions Clone()
    {
        var copy = new RcloneBackendOptions { Executable = Executable, ConfigFile = ConfigFile };
        foreach (var argument in ExtraArguments)
            copy.ExtraArguments.Add(argument);
        return copy;
    }
}
