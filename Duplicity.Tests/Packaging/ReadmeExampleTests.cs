using System.Text.RegularExpressions;
using Duplicity.Tests.Support;

namespace Duplicity.Tests.Packaging;

/// <summary>
/// The README's API example is a program a user can paste: Duplicity.Core is packed into a clean
/// local feed, a fresh console project that references only that package gets the README's block
/// as its Program.cs, and it builds and runs a backup and restore on a temp folder.
/// </summary>
[Category("Interop")]
[NonParallelizable]
public partial class ReadmeExampleTests
{
    [GeneratedRegex(@"## The API\n.*?```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex ApiExample();

    [Test]
    public async Task TheReadmesApiExampleBuildsAgainstThePackageAndRuns()
    {
        var dotnet = ExternalTool.Require("dotnet");
        string repository = RepositoryFolder.Root();
        var match = ApiExample().Match(File.ReadAllText(Path.Combine(repository, "README.md")));
        Assert.That(match.Success, Is.True, "README.md has a csharp block under '## The API'");

        using var tmp = new TempFolder();
        // A version of its own: the package cannot be confused with one cached by an earlier run.
        string version = "0.0.0-readme." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        string configuration = TestContext.CurrentContext.TestDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        (await ExternalTool.RunAsync(dotnet, ["pack", Path.Combine(repository, "Duplicity.Core", "Duplicity.Core.csproj"),
            "-c", configuration, "--no-build", "-o", tmp.Sub("feed"), $"-p:PackageVersion={version}"], timeout: TimeSpan.FromMinutes(5))).EnsureSuccess();

        var app = Directory.CreateDirectory(tmp.Sub("app")).FullName;
        File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Duplicity.Core" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        // Only the fresh feed as a source; the package's own dependencies come from this machine's
        // package folder (the solution's restore put them there), so the check needs no network.
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources><clear /><add key="feed" value="{tmp.Sub("feed")}" /></packageSources>
              <fallbackPackageFolders><add key="machine" value="{GlobalPackagesFolder()}" /></fallbackPackageFolders>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), match.Groups["code"].Value);
        // Isolated from this repository's Directory.Build.props and central package versions.
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(app, "Directory.Packages.props"), "<Project />");

        var build = await ExternalTool.RunAsync(dotnet, ["build", app, "-c", "Release", "--packages", tmp.Sub("packages")], timeout: TimeSpan.FromMinutes(5));
        Assert.That(build.ExitCode, Is.EqualTo(0), build.StandardOutput + build.StandardError);

        var source = tmp.Sub("src");
        TestTree.CreateEveryKind(source, bigFileBytes: 100_000);
        var restored = tmp.Sub("restored");
        var environment = new Dictionary<string, string?> { ["HOME"] = tmp.Path, ["PASSPHRASE"] = "readme" };
        var run = await ExternalTool.RunAsync(dotnet, [Path.Combine(app, "bin", "Release", "net10.0", "app.dll"), source, "file://" + tmp.Sub("remote"), restored], environment);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.StandardOutput + run.StandardError);
        Assert.That(run.StandardOutput, Does.Match(@"full backup at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ: 1 volume\(s\)"));
        Assert.That(run.StandardOutput, Does.Contain("1 chain(s), last full backup "));
        Assert.That(run.StandardOutput, Does.Not.Match("(?m)^(Data|Missing|NewFile|Type|Permissions|ModificationTime|SymlinkTarget|DeviceNumbers) "),
            "the example's verify of its own restore finds no difference");
        Assert.That(TreeSnapshot.Describe(restored), Is.EqualTo(TreeSnapshot.Describe(source)));
        Assert.That(Directory.GetFiles(tmp.Sub("remote"), "*.difftar.gpg"), Is.Not.Empty, "the example encrypts with its passphrase");
    }

    private static string GlobalPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
