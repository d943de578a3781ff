using System.Diagnostics;
using System.IO.Compression;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Packaging;

/// <summary>
/// The packages as a user meets them: <c>dotnet pack</c> of the five shipped projects into a folder, then a new console
/// app that references them from that folder only, with the README's snippet as its Program.cs, built with warnings
/// as errors and run twice. Restores of other packages come from the user's NuGet cache (as a read-only source) and
/// the machine's own sources, so nothing of the user's cache is changed and no stale Rekognition package is used.
/// </summary>
[TestFixture]
[Category("Packaging")]
public sealed partial class PackageInstallTests
{
    private static readonly string[] ShippedProjects = ["Rekognition.Core", "Rekognition.Imaging", "Rekognition.Onnx", "Rekognition.Training", "Rekognition.Server", "Rekognition.PostgreSql", "Rekognition.S3"];

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private string _work = null!;

    [SetUp]
    public void CreateWorkFolder() => _work = Directory.CreateTempSubdirectory("rekognition-pack-").FullName;

    [TearDown]
    public void DeleteWorkFolder() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task ThePackedPackagesCarryTheirMetadataAndBuildAndRunTheReadmeSnippetTwice()
    {
        var repo = RepositoryFiles.Root();
        var feed = Directory.CreateDirectory(Path.Combine(_work, "feed")).FullName;

        foreach (var project in ShippedProjects)
        {
            var csproj = Path.Combine(repo, "src", project, project + ".csproj");
            await RunAsync(repo, "dotnet", "pack", csproj, "-c", Configuration, "-o", feed, "--nologo");
        }

        var version = AssertPackages(feed);

        // A new console app in a folder of its own, referencing what the README's install section lists for the snippet.
        var app = Directory.CreateDirectory(Path.Combine(_work, "app")).FullName;
        var packages = Path.Combine(_work, "packages");
        var userCache = (await RunAsync(_work, "dotnet", "nuget", "locals", "global-packages", "--list")).Split(':', 2)[1].Trim();
        var machineSources = EnabledSourceKeys(await RunAsync(_work, "dotnet", "nuget", "list", "source", "--format", "Detailed"));
        await File.WriteAllTextAsync(Path.Combine(_work, "nuget.config"), NuGetConfig(packages, feed, userCache, machineSources));
        await File.WriteAllTextAsync(Path.Combine(app, "App.csproj"), AppProject(version, CentralVersion(repo, "Microsoft.Extensions.DependencyInjection")));
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), ReadmeSnippet(repo));

        await RunAsync(app, "dotnet", "build", "-c", "Release", "--nologo");
        Assert.That(Directory.Exists(Path.Combine(packages, "rekognition.core", version)), Is.True,
            "Rekognition.Core was not restored from the packed folder into the app's own package folder");

        // The snippet makes its own store under the temporary folder: point that inside the work folder.
        var temp = Directory.CreateDirectory(Path.Combine(_work, "tmp")).FullName;
        var dll = Path.Combine(app, "bin", "Release", "net10.0", "App.dll");
        for (var run = 1; run <= 2; run++)
        {
            var output = await RunAsync(app, "dotnet", [dll], ("TMPDIR", temp));
            Assert.That(output, Does.StartWith("CREATE_COMPLETE: ").And.Contain(" 0 with errors"), $"run {run} printed: {output}");
        }

        Assert.That(Directory.GetDirectories(temp, "rekognition-*"), Has.Length.EqualTo(2), "each run makes a store of its own");
    }

    /// <summary>Checks each package's metadata and files; returns the packages' version.</summary>
    private static string AssertPackages(string feed)
    {
        string? version = null;
        var pinned = 0;
        foreach (var project in ShippedProjects)
        {
            var nupkg = Directory.GetFiles(feed, project + ".*.nupkg").Single();
            Assert.That(File.Exists(Path.ChangeExtension(nupkg, ".snupkg")), Is.True, $"{project}: no symbol package");

            using var zip = ZipFile.OpenRead(nupkg);
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            Assert.That(entries, Is.SupersetOf(new[] { "LICENSE", "README.md", $"lib/net10.0/{project}.dll", $"lib/net10.0/{project}.xml" }), project);

            XDocument nuspec;
            using (var stream = zip.GetEntry(project + ".nuspec")!.Open())
            {
                nuspec = XDocument.Load(stream);
            }

            var ns = nuspec.Root!.Name.Namespace;
            var metadata = nuspec.Root.Element(ns + "metadata")!;
            version ??= metadata.Element(ns + "version")!.Value;
            Assert.Multiple(() =>
            {
                Assert.That(metadata.Element(ns + "version")!.Value, Is.EqualTo(version), $"{project}: all packages share one version");
                Assert.That(metadata.Element(ns + "license")?.Value, Is.EqualTo("Apache-2.0"), project);
                Assert.That(metadata.Element(ns + "readme")?.Value, Is.EqualTo("README.md"), project);
                Assert.That(metadata.Element(ns + "description")?.Value, Is.Not.Empty, project);
                Assert.That(metadata.Element(ns + "tags")?.Value, Does.Contain("rekognition"), project);
                foreach (var dependency in metadata.Descendants(ns + "dependency").Where(d => ((string)d.Attribute("id")!).StartsWith("Rekognition.", StringComparison.Ordinal)))
                {
                    Assert.That((string)dependency.Attribute("version")!, Is.EqualTo($"[{version}]"),
                        $"{project} -> {dependency.Attribute("id")}: packages of this repository depend on each other at exactly their version");
                    pinned++;
                }
            });
        }

        // Imaging, Onnx, Server and the two providers on Core; Onnx and Server (console thumbnails) on Imaging; Training on
        // Core, Imaging and Onnx.
        Assert.That(pinned, Is.EqualTo(10), "dependencies between the Rekognition packages");
        return version!;
    }

    private static string ReadmeSnippet(string repo)
    {
        var readme = File.ReadAllText(Path.Combine(repo, "README.md"));
        var start = readme.IndexOf("<!-- snippet:start -->", StringComparison.Ordinal);
        var end = readme.IndexOf("<!-- snippet:end -->", StringComparison.Ordinal);
        Assert.That(start >= 0 && end > start, Is.True, "README.md has no <!-- snippet:start --> ... <!-- snippet:end --> block");
        var block = readme[start..end];
        var open = block.IndexOf("```csharp\n", StringComparison.Ordinal);
        var close = block.LastIndexOf("```", StringComparison.Ordinal);
        Assert.That(open >= 0 && close > open, Is.True, "the snippet block holds no ```csharp fence");
        return block[(open + "```csharp\n".Length)..close];
    }

    private static string AppProject(string version, string dependencyInjectionVersion) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Rekognition.Core" Version="{version}" />
            <PackageReference Include="Microsoft.Extensions.DependencyInjection" Version="{dependencyInjectionVersion}" />
          </ItemGroup>
        </Project>
        """;

    /// <summary>
    /// The packed folder is the only source of Rekognition packages; everything else comes from the user's package cache
    /// (read as a source, so it is not written) or the machine's own sources, mapped by the keys the machine gives them
    /// (read at run time, so neither a key nor an address is written here). A package folder of its own keeps the user's
    /// cache clean.
    /// </summary>
    private static string NuGetConfig(string packages, string feed, string userCache, IReadOnlyList<string> machineSources) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <config>
            <add key="globalPackagesFolder" value="{packages}" />
          </config>
          <packageSources>
            <add key="rekognition-packed" value="{feed}" />
            <add key="user-package-cache" value="{userCache}" />
          </packageSources>
          <packageSourceMapping>
            <packageSource key="rekognition-packed"><package pattern="Rekognition.*" /></packageSource>
            <packageSource key="user-package-cache"><package pattern="*" /></packageSource>
        {string.Concat(machineSources.Select(k => $"    <packageSource key=\"{SecurityElement.Escape(k)}\"><package pattern=\"*\" /></packageSource>\n"))}  </packageSourceMapping>
        </configuration>
        """;

    /// <summary>
    /// The keys of the enabled sources in <c>dotnet nuget list source</c>'s detailed listing, where each source is a line
    /// "  1.  key [Enabled]" followed by its address.
    /// </summary>
    private static List<string> EnabledSourceKeys(string listing) =>
        listing.Split('\n').Select(line => EnabledSourceLine().Match(line)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex(@"^\s*\d+\.\s+(.+?)\s+\[Enabled\]\s*$")]
    private static partial Regex EnabledSourceLine();

    private static string CentralVersion(string repo, string package) =>
        (string)XDocument.Load(Path.Combine(repo, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == package).Attribute("Version")!;

    private static Task<string> RunAsync(string workDir, string file, params string[] args) => RunAsync(workDir, file, args, []);

    /// <summary>Runs a process to its end (10 minutes at most) and returns its standard output; fails the test on a non-zero exit.</summary>
    private static async Task<string> RunAsync(string workDir, string file, string[] args, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The test host runs under `dotnet test`, whose MSBuild variables would steer the child builds to its own MSBuild.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish within 10 minutes");
        }

        var output = await stdout;
        var error = await stderr;
        Assert.That(process.ExitCode, Is.Zero, () => new StringBuilder()
            .AppendLine($"{file} {string.Join(' ', args)} exited with {process.ExitCode}")
            .AppendLine(output).AppendLine(error).ToString());
        return output;
    }
}
