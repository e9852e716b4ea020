using System.Collections;
using System.Globalization;

namespace Duplicity.Samples.Output;

/// <summary>
/// The named values of an SDK log event (the state of a <c>[LoggerMessage]</c> call). Values become
/// text as the logging formatter makes them (invariant culture, <c>(null)</c>, sequences joined
/// with <c>", "</c>), so that words rendered here read as the SDK's own message did.
/// </summary>
internal readonly struct EventValues(IReadOnlyList<KeyValuePair<string, object?>> state)
{
    /// <summary>The value named <paramref name="name"/>; null when absent.</summary>
    public object? this[string name]
    {
        get
        {
            foreach (var (key, value) in state)
                if (key == name) return value;
            return null;
        }
    }

    /// <summary>The value named <paramref name="name"/> as text.</summary>
    public string Text(string name) => Format(this[name]);

    /// <summary>The items of a sequence value, each as text (none when absent).</summary>
    public IEnumerable<string> Items(string name) =>
        this[name] is IEnumerable items and not string ? items.Cast<object?>().Select(Format) : [];

    private static string Format(object? value) => value switch
    {
        null => "(null)",
        string s => s,
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Format)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
