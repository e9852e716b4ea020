namespace Duplicity.Sessions;

/// <summary>Settings of a listing of the files in a backup (duplicity's <c>list-current-files</c>).</summary>
public sealed class ListOptions
{
    /// <summary>The time to list (<c>--time</c>); null means now.</summary>
    public DateTimeOffset? Time { get; init; }

}
