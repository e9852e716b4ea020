using Duplicity.Archive.Naming;
using Duplicity.Diagnostics;
using Duplicity.Files;
using Duplicity.Samples;
using Duplicity.Samples.Output;
using Duplicity.Selection;
using Microsoft.Extensions.Logging;

namespace Duplicity.Tests.Console;

/// <summary>
/// The console words the SDK's log events from their ids and values, never from the SDK's message
/// text: a reworded SDK message prints the same duplicity line and machine record.
/// </summary>
[Category("Unit")]
public class ConsoleWordingTests
{
    private const string SdkCategory = "Duplicity.Sessions.BackupSession";
    private static readonly DateTimeOffset SomeTime = DateTimeOffset.FromUnixTimeSeconds(1_600_000_100);

    /// <summary>What the console prints for one log call: its stdout text and the machine-log record.</summary>
    private static (string Console, string Record) Print(Action<ILogger> log, string category = SdkCategory)
    {
        var stdout = new StringWriter();
        var machine = new StringWriter();
        using (var factory = new ConsoleLoggerFactory(stdout, stdout, verbosity: 9, new MachineLog(machine, ownsWriter: false)))
            log(factory.CreateLogger(category));
        return (stdout.ToString(), machine.ToString());
    }

    /// <summary>The same event id and values as an SDK call, under a message the console has never seen.</summary>
    private static Action<ILogger> Reworded(int id, LogLevel level, params (string Name, object? Value)[] values)
    {
        var state = values.Select(v => new KeyValuePair<string, object?>(v.Name, v.Value))
            .Append(new("{OriginalFormat}", "Entirely different words {" + string.Join("} {", values.Select(v => v.Name)) + "}"))
            .ToList();
        return logger => logger.Log(level, new EventId(id), state, null, (_, _) => "Entirely different words");
    }

    private static TestCaseData Case(string name, Action<ILogger> sdkCall, Action<ILogger> reworded, string line, string record) =>
        new TestCaseData(sdkCall, reworded, line, record).SetName("Reworded_" + name);

    private static IEnumerable<TestCaseData> Events()
    {
        var path = IndexPath.Parse("dir/it's.txt");
        yield return Case("FileAdded", l => BackupLog.FileAdded(l, path),
            Reworded(DuplicityEventIds.BackupFileAdded, LogLevel.Debug, ("Path", path)),
            "A dir/it's.txt", "INFO 4 'dir/it\\x27s.txt'\n. A dir/it's.txt\n\n");
        yield return Case("FileDeleted", l => BackupLog.FileDeleted(l, path),
            Reworded(DuplicityEventIds.BackupFileDeleted, LogLevel.Debug, ("Path", path)),
            "D dir/it's.txt", "INFO 6 'dir/it\\x27s.txt'\n. D dir/it's.txt\n\n");
        yield return Case("Writing", l => RestoreLog.Writing(l, path, FileEntryType.Regular),
            Reworded(DuplicityEventIds.RestoreWriting, LogLevel.Debug, ("Path", path), ("Type", FileEntryType.Regular)),
            "Writing dir/it's.txt of type Regular", "INFO 7 'dir/it\\x27s.txt' Regular\n. Writing dir/it's.txt of type Regular\n\n");
        yield return Case("Socket", l => BackupLog.SourceProblem(l, SourceWalkProblemKind.SkippedSocket, path, 0),
            Reworded(DuplicityEventIds.BackupSourceProblem, LogLevel.Warning, ("Kind", SourceWalkProblemKind.SkippedSocket), ("Path", path), ("Errno", 0)),
            "SkippedSocket: dir/it's.txt (errno 0)", "WARNING 15 'dir/it\\x27s.txt'\n. SkippedSocket: dir/it's.txt (errno 0)\n\n");
        var pretty = DuplicityTime.Pretty(SomeTime.ToUnixTimeSeconds(), TimeZoneInfo.Local);
        yield return Case("LastFullBackupDate", l => BackupLog.LastFullBackupDate(l, SomeTime),
            Reworded(DuplicityEventIds.BackupLastFullBackupDate, LogLevel.Information, ("LastFullBackupTime", SomeTime)),
            "Last full backup date: " + pretty, $"NOTICE 1\n. Last full backup date: {pretty}\n\n");
        yield return Case("NoFullBackup", l => RestoreLog.LastFullBackupDate(l, null),
            Reworded(DuplicityEventIds.RestoreLastFullBackupDate, LogLevel.Information, ("LastFullBackupTime", null)),
            "Last full backup date: none", "NOTICE 1\n. Last full backup date: none\n\n");
        string[] volumes = ["duplicity-full.20200913T132820Z.vol1.difftar.gz", "duplicity-full.20200913T132820Z.vol2.difftar.gz"];
        yield return Case("RequiredVolumes", l => RestoreLog.RequiredVolumes(l, volumes),
            Reworded(DuplicityEventIds.RestoreRequiredVolumes, LogLevel.Information, ("Volumes", volumes)),
            $"Required volumes to restore:\n\t{volumes[0]}\n\t{volumes[1]}",
            $"NOTICE 1\n. Required volumes to restore:\n. \t{volumes[0]}\n. \t{volumes[1]}\n\n");
        yield return Case("Replicating", l => ReplicateLog.Replicating(l, volumes[0]),
            Reworded(DuplicityEventIds.ReplicateFile, LogLevel.Information, ("Name", volumes[0])),
            $"Replicating b'{volumes[0]}'.", $"NOTICE 1\n. Replicating b'{volumes[0]}'.\n\n");
        yield return Case("NoChainForTime", ListLog.NoChainForTime,
            Reworded(DuplicityEventIds.ListNoChainForTime, LogLevel.Warning),
            "No signature chain for the requested time. Using oldest backup chain.",
            "WARNING 11\n. No signature chain for the requested time. Using oldest backup chain.\n\n");
        yield return Case("Synchronized", CacheLog.Synchronized,
            Reworded(DuplicityEventIds.CacheSynchronized, LogLevel.Information),
            "Local and Remote metadata are synchronized, no sync needed.",
            "NOTICE 1\n. Local and Remote metadata are synchronized, no sync needed.\n\n");
    }

    [TestCaseSource(nameof(Events))]
    public void ARewordedSdkMessagePrintsTheSameLineAndRecord(Action<ILogger> sdkCall, Action<ILogger> reworded, string line, string record)
    {
        var fromSdk = Print(sdkCall);
        Assert.That(fromSdk, Is.EqualTo((line + "\n", record)));
        Assert.That(Print(reworded), Is.EqualTo(fromSdk));
    }

    [TestCase(1, "1 file compared, 1 difference found.")]
    [TestCase(2, "2 files compared, 2 differences found.")]
    public void VerifySummaryPicksSingularOrPluralFromTheNumbers(int n, string expected)
    {
        var printed = Print(Reworded(DuplicityEventIds.VerifySummary, LogLevel.Information, ("FilesCompared", (long)n), ("DifferenceCount", n)));
        Assert.That(printed.Console, Is.EqualTo("Verify complete: " + expected + "\n"));
    }

    [Test]
    public void EverySdkEventIdHasConsoleWords()
    {
        var ids = typeof(DuplicityEventIds).GetFields().Where(f => f.IsLiteral).ToList();
        Assert.That(ids, Is.Not.Empty);
        foreach (var field in ids)
            Assert.That(DuplicityWording.Render((int)field.GetRawConstantValue()!, new EventValues([])), Is.Not.Null, field.Name);
    }

    [Test]
    public void UnknownIdsAndOtherLibrariesPrintTheirFormattedMessage()
    {
        var unknown = Print(Reworded(4999, LogLevel.Information, ("Path", "x")));
        Assert.That(unknown, Is.EqualTo(("Entirely different words\n", "NOTICE 1\n. Entirely different words\n\n")));
        // Another library may use the same number as an SDK event: only the SDK's categories are worded.
        var foreign = Print(Reworded(DuplicityEventIds.BackupFileAdded, LogLevel.Debug, ("Path", "x")), category: "Amazon.Runtime");
        Assert.That(foreign, Is.EqualTo(("Entirely different words\n", "INFO 1\n. Entirely different words\n\n")));
    }

    [TestCase("abc.gz", "b'abc.gz'")]
    [TestCase("it's", "b\"it's\"")]
    [TestCase("a'\"b", "b'a\\'\"b'")]
    [TestCase("tab\there\\", "b'tab\\there\\\\'")]
    [TestCase("é", "b'\\xc3\\xa9'")]
    public void FileNamesPrintAsPythonBytes(string name, string expected) =>
        Assert.That(PythonBytes.Repr(name), Is.EqualTo(expected));
}
