using Duplicity.Archive.Naming;

namespace Duplicity.Tests.Archive;

[Category("Unit")]
public class RemoteFileNameTests
{
    private static readonly FileNamingOptions Long = FileNamingOptions.Default;
    private static readonly FileNamingOptions Short = new() { ShortFilenames = true };

    [Test]
    public void SpecExamples()
    {
        var inc = RemoteFileName.TryParse("duplicity-inc.20200913T122820Z.to.20200913T132820Z.vol12.difftar.gpg", Long);
        Assert.That(inc, Is.EqualTo(new RemoteFileName(RemoteFileKind.IncrementalVolume, 1600000100, 1600003700, 12, IsEncrypted: true)));
        var sig = RemoteFileName.TryParse("dns.qgljz8.qglk20.st.z", Long);
        Assert.That(sig, Is.EqualTo(new RemoteFileName(RemoteFileKind.NewSignatures, 1600000100, 1600000200, IsCompressed: true)));
        Assert.That(RemoteFileName.TryParse("dns.qgljz8.qglk20.st.z", Short), Is.EqualTo(sig));
    }

    [Test]
    public void EveryFixtureNameParsesAndFormatsBack()
    {
        var names = ArchiveFixture.RemoteNames().ToList();
        Assert.That(names, Has.Count.EqualTo(15));
        foreach (string name in names)
        {
            RemoteFileName? parsed = RemoteFileName.TryParse(name, Long);
            Assert.That(parsed, Is.Not.Null, name);
            Assert.That(parsed!.Format(Long), Is.EqualTo(name));
            Assert.That(parsed.IsCompressed, Is.EqualTo(name.EndsWith(".gz")), name);
            Assert.That(parsed.IsEncrypted, Is.False);
        }
        var vol = RemoteFileName.TryParse("duplicity-full.20200913T122820Z.vol6.difftar.gz", Long)!;
        Assert.That((vol.Kind, vol.StartTime, vol.EndTime, vol.VolumeNumber), Is.EqualTo((RemoteFileKind.FullVolume, 1600000100L, 1600000100L, 6)));
        var man = RemoteFileName.TryParse("duplicity-inc.20200913T132820Z.to.20200913T142820Z.manifest", Long)!;
        Assert.That((man.Kind, man.StartTime, man.EndTime, man.IsCompressed), Is.EqualTo((RemoteFileKind.IncrementalManifest, 1600003700L, 1600007300L, false)));
        var fullSig = RemoteFileName.TryParse("duplicity-full-signatures.20200913T122820Z.sigtar.gz", Long)!;
        Assert.That(fullSig.Kind, Is.EqualTo(RemoteFileKind.FullSignatures));
    }

    [Test]
    public void EveryKindRoundTripsInBothForms()
    {
        var samples = new[]
        {
            new RemoteFileName(RemoteFileKind.FullVolume, 1600000100, 1600000100, 37, IsCompressed: true),
            new RemoteFileName(RemoteFileKind.FullManifest, 1600000100, 1600000100, IsPartial: true),
            new RemoteFileName(RemoteFileKind.FullManifest, 1600000100, 1600000100, IsEncrypted: true),
            new RemoteFileName(RemoteFileKind.IncrementalVolume, 1600000100, 1600003700, 2, IsEncrypted: true),
            new RemoteFileName(RemoteFileKind.IncrementalManifest, 1600000100, 1600003700, IsPartial: true),
            new RemoteFileName(RemoteFileKind.FullSignatures, 1600000100, 1600000100, IsPartial: true),
            new RemoteFileName(RemoteFileKind.FullSignatures, 1600000100, 1600000100, IsCompressed: true),
            new RemoteFileName(RemoteFileKind.NewSignatures, 1600000100, 1600003700, IsEncrypted: true),
            new RemoteFileName(RemoteFileKind.NewSignatures, 1600000100, 1600003700),
        };
        foreach (var options in new[] { Long, Short, new FileNamingOptions { FilePrefix = "P-", ArchivePrefix = "A-", ManifestPrefix = "M.", SignaturePrefix = "S+" } })
        {
            foreach (var sample in samples)
            {
                string name = sample.Format(options);
                Assert.That(RemoteFileName.TryParse(name, options), Is.EqualTo(sample), name);
            }
        }
        Assert.That(samples[0].Format(Short), Is.EqualTo("df.qgljz8.11.dt.z"));
        Assert.That(samples[1].Format(Short), Is.EqualTo("df.qgljz8.m.p"));
        Assert.That(samples[3].Format(Short), Is.EqualTo("di.qgljz8.qglmr8.2.dt.g"));
        Assert.That(samples[5].Format(Long), Is.EqualTo("duplicity-full-signatures.20200913T122820Z.sigtar.part"));
    }

    [Test]
    public void PrefixesMustMatchFromTheFirstByte()
    {
        var options = new FileNamingOptions { FilePrefix = "P-", ArchivePrefix = "A-" };
        const string name = "P-A-duplicity-full.20200913T122820Z.vol1.difftar.gz";
        Assert.That(RemoteFileName.TryParse(name, options)!.VolumeNumber, Is.EqualTo(1));
        Assert.That(new RemoteFileName(RemoteFileKind.FullVolume, 1600000100, 1600000100, 1, IsCompressed: true).Format(options), Is.EqualTo(name));
        Assert.That(RemoteFileName.TryParse(name, Long), Is.Null, "a reader without prefixes does not see prefixed files");
        Assert.That(RemoteFileName.TryParse("duplicity-full.20200913T122820Z.vol1.difftar.gz", options), Is.Null);
        // The archive prefix does not apply to manifests.
        Assert.That(RemoteFileName.TryParse("P-A-duplicity-full.20200913T122820Z.manifest", options), Is.Null);
        Assert.That(RemoteFileName.TryParse("P-duplicity-full.20200913T122820Z.manifest", options)!.Kind, Is.EqualTo(RemoteFileKind.FullManifest));
        // Regex metacharacters in prefixes are literal.
        var dotted = new FileNamingOptions { FilePrefix = "a.b" };
        Assert.That(RemoteFileName.TryParse("a.bduplicity-full.20200913T122820Z.manifest", dotted), Is.Not.Null);
        Assert.That(RemoteFileName.TryParse("axbduplicity-full.20200913T122820Z.manifest", dotted), Is.Null);
    }

    [Test]
    public void MatchingQuirks()
    {
        // Extra suffixes are tolerated; flags come from the end of the whole name.
        var r = RemoteFileName.TryParse("duplicity-full.20200913T122820Z.manifest.gpg.tmp", Long)!;
        Assert.That((r.Kind, r.IsEncrypted), Is.EqualTo((RemoteFileKind.FullManifest, false)));
        Assert.That(RemoteFileName.TryParse("duplicity-full.20200913T122820Z.manifest.part.gpg", Long)!.IsPartial, Is.True);
        // "gz" without a dot still counts as compressed in long mode.
        Assert.That(RemoteFileName.TryParse("duplicity-full.20200913T122820Z.vol1.difftar.xgz", Long)!.IsCompressed, Is.True);
        Assert.That(RemoteFileName.TryParse("duplicity-full.20200913T122820Z.vol1.difftarx", Long), Is.Null);
        // Non-greedy time: the first ".vol" decides.
        Assert.That(RemoteFileName.TryParse("duplicity-full.20200913T122820Z.vol1.difftar.vol2.difftar", Long)!.VolumeNumber, Is.EqualTo(1));
        // Times: lower case is upper-cased, integers accepted, bad times and 0 rejected.
        Assert.That(RemoteFileName.TryParse("duplicity-full.20200913t122820z.manifest", Long)!.StartTime, Is.EqualTo(1600000100));
        Assert.That(RemoteFileName.TryParse("duplicity-full.1600000100.manifest", Long)!.StartTime, Is.EqualTo(1600000100));
        Assert.That(RemoteFileName.TryParse("duplicity-full.20201313T122820Z.vol1.difftar.gz", Long), Is.Null);
        Assert.That(RemoteFileName.TryParse("duplicity-full.0.manifest", Long), Is.Null);
        Assert.That(RemoteFileName.TryParse("df.0.m", Long), Is.Null);
        Assert.That(RemoteFileName.TryParse("duplicity-full.20200913T122820Z.vol0.difftar.gz", Long), Is.Null);
        // The incremental-volume pattern has no partial group.
        Assert.That(RemoteFileName.TryParse("duplicity-inc.20200913T122820Z.to.20200913T132820Z.vol1.difftar.part", Long)!.IsPartial, Is.False);
        // Short names are tried first even in long mode; long names are ignored in short mode.
        Assert.That(RemoteFileName.TryParse("duplicity-full.20200913T122820Z.manifest", Short), Is.Null);
        Assert.That(RemoteFileName.TryParse("df.qgljz8.m", Long)!.StartTime, Is.EqualTo(1600000100));
        Assert.That(RemoteFileName.TryParse("df.qgljz8.m.gz", Short)!.IsCompressed, Is.False, "short mode only knows .z");
        Assert.That(RemoteFileName.TryParse("readme.txt", Long), Is.Null);
        Assert.That(RemoteFileName.TryParse("duplicity-full-signatures.bad.sigtar.gz", Long), Is.Null);
    }

    [Test]
    public void OldFilenames()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2");
        var options = new FileNamingOptions { OldFilenames = true, OldFilenamesZone = zone };
        var name = new RemoteFileName(RemoteFileKind.IncrementalManifest, 1600000100, 1600003700);
        Assert.That(name.Format(options), Is.EqualTo("duplicity-inc.2020-09-13T14:28:20+02:00.to.2020-09-13T15:28:20+02:00.manifest"));
        Assert.That(RemoteFileName.TryParse(name.Format(options), FileNamingOptions.Default), Is.EqualTo(name));
        var dashed = options with { TimeSeparator = '-' };
        Assert.That(RemoteFileName.TryParse(name.Format(dashed), dashed), Is.EqualTo(name));
    }

    [Category("Interop")]
    [Test]
    public void AgreesWithDuplicity()
    {
        string[] names =
        [
            "duplicity-full.20200913T122820Z.vol1.difftar.gz", "duplicity-full.20200913T122820Z.manifest.part",
            "duplicity-inc.20200913T122820Z.to.20200913T132820Z.vol12.difftar.gpg", "dns.qgljz8.qglk20.st.z",
            "duplicity-new-signatures.20200913T122820Z.to.20200913T132820Z.sigtar.part.gz", "dfs.qgljz8.st.p.g",
            "di.qgljz8.qglk20.a.dt", "df.qgljz8.10.dt.g", "duplicity-full.20200913t122820z.manifest.xgz",
            "duplicity-full.20200913T122820Z.vol1.difftar.vol2.difftar", "duplicity-full.1600000100.manifest",
            "duplicity-full.20201313T122820Z.manifest", "duplicity-full-signatures.x.sigtar", "P-duplicity-full.20200913T122820Z.manifest",
            "duplicity-inc.2020-09-13T14:28:20+02:00.to.2020-09-13T15:28:20+02:00.manifest", "random.txt",
        ];
        const string script = """
            import sys
            from duplicity import file_naming, config
            for line in sys.stdin.read().split("\n"):
                if not line:
                    continue
                pr = file_naming.parse(line.encode())
                if pr is None:
                    print("None")
                else:
                    print(pr.type, pr.manifest and 1 or 0, pr.volume_number or 0, pr.time or 0, pr.start_time or 0, pr.end_time or 0,
                          pr.encrypted and 1 or 0, pr.compressed and 1 or 0, pr.partial and 1 or 0)
            """;
        string[] expected = ArchiveFixture.RunPython(script, string.Join("\n", names), "TZ=UTC").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < names.Length; i++)
        {
            RemoteFileName? r = RemoteFileName.TryParse(names[i], Long);
            string actual = r is null ? "None" : string.Join(' ',
                r.Kind switch
                {
                    RemoteFileKind.FullVolume or RemoteFileKind.FullManifest => "full",
                    RemoteFileKind.IncrementalVolume or RemoteFileKind.IncrementalManifest => "inc",
                    RemoteFileKind.FullSignatures => "full-sig",
                    _ => "new-sig",
                },
                r.IsManifest ? 1 : 0, r.VolumeNumber, r.IsIncremental ? 0 : r.StartTime, r.IsIncremental ? r.StartTime : 0,
                r.IsIncremental ? r.EndTime : 0, r.IsEncrypted ? 1 : 0, r.IsCompressed ? 1 : 0, r.IsPartial ? 1 : 0);
            Assert.That(actual, Is.EqualTo(expected[i]), names[i]);
        }
    }
}
