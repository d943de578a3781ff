using Microsoft.Extensions.DependencyInjection;
using System.Text;
using System.Text.Json;
using Rekognition.Server.Tests.TestSupport;
using SkiaSharp;

namespace Rekognition.Server.Tests.Attacks;

/// <summary>
/// LocalServer on loopback (image checks on) beside a folder <c>outside</c> that holds secrets: a manifest whose label
/// is <see cref="Marker"/>, a PNG, and the same one level deeper. Every request goes over HTTP; every answer is kept.
/// A test takes <see cref="SnapshotOutside"/> before its attack and calls <see cref="AssertNothingEscaped"/> after:
/// nothing beside the store and the buckets root changed, and the marker and the machine's paths appear in no answer
/// and in no file of the store or the buckets.
/// </summary>
public abstract class AttackGround
{
    /// <summary>Stands for secret content: it is in the outside files only.</summary>
    protected const string Marker = "SECRETLABEL9f27";

    private readonly List<(string Request, string Answer)> _answers = new();
    private FileTreeSnapshot? _before;

    protected LocalServerFixture Server { get; private set; } = null!;

    protected WireClient Wire { get; private set; } = null!;

    protected string Outside => Path.Combine(Server.Root, "outside");

    protected string Buckets => Server.BucketsRoot;

    [OneTimeSetUp]
    public async Task StartGroundAsync()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            Assert.Fail("The attack tests create symbolic links the POSIX way; run them on Linux (as CI does) or macOS.");
        }

        Server = await LocalServerFixture.StartAsync(settings: new Dictionary<string, string?> { ["Rekognition:CheckImages"] = "true" });
        Wire = new WireClient(Server.Endpoint);
        Directory.CreateDirectory(Path.Combine(Outside, "deep"));
        var secretManifest = Encoding.UTF8.GetBytes(ClassificationLine("s3://imgs/red0.png", Marker) + "\n");
        foreach (var folder in new[] { Outside, Path.Combine(Outside, "deep") })
        {
            File.WriteAllBytes(Path.Combine(folder, "secret.manifest"), secretManifest);
            File.WriteAllBytes(Path.Combine(folder, "secret.png"), Square(new SKColor(10, 200, 10), 99));
        }

        await SetUpGroundAsync();
    }

    [OneTimeTearDown]
    public async Task StopGroundAsync()
    {
        Wire?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }

    /// <summary>What a fixture prepares once (projects, datasets) after the server started.</summary>
    protected virtual Task SetUpGroundAsync() => Task.CompletedTask;

    [SetUp]
    public void SnapshotOutside() => _before = FileTreeSnapshot.Take(Server.Root, "store", "buckets");

    /// <summary>Nothing outside the store and the buckets root was created or changed; no secret and no machine path leaked.</summary>
    protected void AssertNothingEscaped()
    {
        var changes = FileTreeSnapshot.Take(Server.Root, "store", "buckets").ChangesSince(_before!);
        Assert.That(changes, Is.Empty, "entries outside the allowed roots changed");
        foreach (var (request, answer) in _answers)
        {
            Assert.That(answer, Does.Not.Contain(Marker), "an answer carries secret content");
            if (!request.Contains(Server.Root, StringComparison.Ordinal))
            {
                // A caller's own key may hold a path; the server adds none of its own.
                Assert.That(answer, Does.Not.Contain(Server.Root), "an answer names a machine path");
            }
        }

        var marker = Encoding.UTF8.GetBytes(Marker);
        foreach (var file in RegularFiles(new DirectoryInfo(Server.Root)).Where(f => !f.StartsWith(Outside + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
        {
            Assert.That(File.ReadAllBytes(file).AsSpan().IndexOf(marker), Is.EqualTo(-1), $"{Path.GetRelativePath(Server.Root, file)} holds secret content");
        }
    }

    /// <summary>The regular files under a folder, links neither listed nor followed.</summary>
    private static IEnumerable<string> RegularFiles(DirectoryInfo folder)
    {
        foreach (var entry in folder.EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null)
            {
                continue;
            }

            if (entry is DirectoryInfo directory)
            {
                foreach (var file in RegularFiles(directory))
                {
                    yield return file;
                }
            }
            else
            {
                yield return entry.FullName;
            }
        }
    }

    /// <summary>Sends one operation; the answer is kept for <see cref="AssertNothingEscaped"/>.</summary>
    protected async Task<WireClient.Answer> CallAsync(string operation, object body)
    {
        var request = JsonSerializer.Serialize(body);
        var answer = await Wire.SendAsync($"RekognitionService.{operation}", request);
        lock (_answers)
        {
            _answers.Add((request, answer.Body));
        }

        return answer;
    }

    /// <summary>Sends one operation and checks that it failed with <paramref name="code"/> (HTTP 400).</summary>
    protected async Task<string> RefusedAsync(string operation, object body, string code)
    {
        var answer = await CallAsync(operation, body);
        Assert.That(answer.Status, Is.EqualTo(400), answer.Body);
        Assert.That(answer.Json.GetProperty("__type").GetString(), Is.EqualTo(code), answer.Body);
        return answer.Json.GetProperty("Message").GetString()!;
    }

    protected async Task<JsonElement> OkAsync(string operation, object body)
    {
        var answer = await CallAsync(operation, body);
        Assert.That(answer.Status, Is.EqualTo(200), answer.Body);
        return answer.Json;
    }

    protected async Task<string> CreateProjectAsync(string name) =>
        (await OkAsync("CreateProject", new { ProjectName = name })).GetProperty("ProjectArn").GetString()!;

    /// <summary>Puts a classification manifest of coloured squares (red and blue) under s3://imgs/folder/ and returns its key.</summary>
    protected string PutManifest(string folder, int perLabel)
    {
        var lines = new StringBuilder();
        foreach (var (label, colour) in new[] { ("red", new SKColor(220, 30, 30)), ("blue", new SKColor(30, 30, 220)) })
        {
            for (var i = 0; i < perLabel; i++)
            {
                var uri = Server.PutObject("imgs", $"{folder}/{label}{i}.png", Square(colour, i + (label == "red" ? 0 : 1000) + folder.Length * 7919));
                lines.Append(ClassificationLine(uri, label)).Append('\n');
            }
        }

        Server.PutObject("imgs", $"{folder}.manifest", Encoding.UTF8.GetBytes(lines.ToString()));
        return $"{folder}.manifest";
    }

    protected async Task<string> CreateDatasetAsync(string project, string type, string bucket, string key)
    {
        var arn = (await OkAsync("CreateDataset", new
        {
            ProjectArn = project,
            DatasetType = type,
            DatasetSource = new { GroundTruthManifest = new { S3Object = new { Bucket = bucket, Name = key } } },
        })).GetProperty("DatasetArn").GetString()!;
        await SettledDatasetAsync(arn);
        return arn;
    }

    protected async Task<JsonElement> SettledDatasetAsync(string datasetArn)
    {
        JsonElement description = default;
        for (var i = 0; i < 600; i++)
        {
            description = (await OkAsync("DescribeDataset", new { DatasetArn = datasetArn })).GetProperty("DatasetDescription");
            if (!description.GetProperty("Status").GetString()!.EndsWith("IN_PROGRESS", StringComparison.Ordinal))
            {
                return description;
            }

            await Task.Delay(50);
        }

        // What the server knows of it: its job (if any) and what the server logged, to tell a lost job from a slow one.
        var jobs = Server.Services.GetRequiredService<Rekognition.Core.Catalog.ICatalog>().Jobs.ForResource(datasetArn);
        Assert.Fail($"{datasetArn} did not settle: {description}\njobs: {string.Join("; ", jobs)}\nserver log:\n{string.Join("\n", Server.Log.Recent())}");
        return default;
    }

    protected async Task<JsonElement> SettledVersionAsync(string projectArn, string versionName, string waitingStatus, int seconds = 600)
    {
        var stop = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var version = (await OkAsync("DescribeProjectVersions", new { ProjectArn = projectArn, VersionNames = new[] { versionName } }))
                .GetProperty("ProjectVersionDescriptions")[0];
            if (version.GetProperty("Status").GetString() != waitingStatus || DateTime.UtcNow > stop)
            {
                return version;
            }

            await Task.Delay(200);
        }
    }

    protected static string ClassificationLine(string sourceRef, string label) => ManifestLines.Classification(sourceRef, label, "colour");

    /// <summary>A 64x64 PNG of one colour with a little noise.</summary>
    protected static byte[] Square(SKColor colour, int seed) => ColourSquares.Png(colour, seed);

    /// <summary>A symbolic link at s3://bucket/key (its folders created) to <paramref name="target"/>, taken as written.</summary>
    protected void Link(string bucket, string key, string target, bool folder = false)
    {
        var path = Path.Combine(Buckets, bucket, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (folder)
        {
            Directory.CreateSymbolicLink(path, target);
        }
        else
        {
            File.CreateSymbolicLink(path, target);
        }
    }
}
