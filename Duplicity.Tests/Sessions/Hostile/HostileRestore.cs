using Duplicity.Repository;
using Duplicity.Backends;
using Duplicity.Sessions;

namespace Duplicity.Tests.Sessions.Hostile;

/// <summary>Runs a restore of a hostile backup and insists that it ends well or with a typed error.</summary>
internal static class HostileRestore
{
    /// <summary>
    /// Restores into <paramref name="target"/>; returns the result, or the <see cref="DuplicityException"/>
    /// it failed with. Any other exception fails the test.
    /// </summary>
    public static async Task<(RestoreResult? Result, DuplicityException? Error)> RunAsync(IBackend backend, string target, string cache,
        string? path = null, bool force = false, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await Support.Sessions.RestoreAsync(backend, new RepositoryOptions
            {
                ArchiveDirectory = cache,
                Name = "x",
            }, new RestoreOptions
            {
                Target = target,
                Path = path,
                Force = force,
            }, cancellationToken: cancellationToken);
            return (result, null);
        }
        catch (DuplicityException e)
        {
            return (null, e);
        }
        catch (Exception e)
        {
            Assert.Fail($"the restore failed with an untyped {e.GetType().Name}: {e}");
            throw;
        }
    }

    /// <summary>Like <see cref="RunAsync"/>, but the restore must fail with <typeparamref name="T"/>.</summary>
    public static async Task<T> FailsWithAsync<T>(IBackend backend, string target, string cache, string? path = null, bool force = false)
        where T : DuplicityException
    {
        var (result, error) = await RunAsync(backend, target, cache, path, force);
        Assert.That(result, Is.Null, "the hostile restore was expected to fail");
        Assert.That(error, Is.InstanceOf<T>(), error?.ToString());
        return (T)error!;
    }
}
