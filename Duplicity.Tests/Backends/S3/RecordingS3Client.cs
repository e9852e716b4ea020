using System.Collections.Concurrent;
using System.Reflection;
using Amazon.S3;

namespace Duplicity.Tests.Backends.S3;

/// <summary>An <see cref="IAmazonS3"/> that forwards to a real client and records the calls and how many parts were in flight at once.</summary>
public class RecordingS3Client : DispatchProxy
{
    private IAmazonS3 _target = null!;
    private int _partsInFlight;

    public ConcurrentQueue<string> Calls { get; } = new();
    public int MaxPartsInFlight { get; private set; }

    public static (IAmazonS3 Client, RecordingS3Client Recorder) Wrap(IAmazonS3 target)
    {
        var proxy = Create<IAmazonS3, RecordingS3Client>();
        var recorder = (RecordingS3Client)(object)proxy;
        recorder._target = target;
        return (proxy, recorder);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        Calls.Enqueue(targetMethod!.Name);
        object? result;
        try
        {
            result = targetMethod.Invoke(_target, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
        if (targetMethod.Name == "UploadPartAsync" && result is Task task)
        {
            lock (this) MaxPartsInFlight = Math.Max(MaxPartsInFlight, ++_partsInFlight);
            task.ContinueWith(_ => { lock (this) _partsInFlight--; }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return result;
    }
}
