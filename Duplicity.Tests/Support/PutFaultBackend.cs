using Duplicity.Backends;

namespace Duplicity.Tests.Support;

/// <summary>Fails the first upload whose name matches, once: a backup stopped at that store.</summary>
public sealed class PutFaultBackend(IBackend inner, Func<string, bool> failWhen) : DelegatingBackend(inner)
{
    /// <summary>True once the fault was injected.</summary>
    public bool Failed { get; private set; }

    public override Task PutAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        if (!Failed && failWhen(name))
        {
            Failed = true;
            throw new IOException($"injected fault: the store of {name} was interrupted");
        }
        return base.PutAsync(name, content, cancellationToken);
    }
}
