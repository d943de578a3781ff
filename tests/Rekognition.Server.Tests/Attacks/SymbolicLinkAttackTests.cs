using SkiaSharp;

namespace Rekognition.Server.Tests.Attacks;

/// <summary>
/// Manifests, dataset images and DetectCustomLabels S3Objects reached through symbolic links (and key tricks) that
/// lead out of the buckets root: each is refused as an object the caller cannot access, and nothing outside is read.
/// The links sit in every position: the object itself, a folder on the way, the bucket, a link through a linked
/// folder and then "..", chains, and a folder flipping between real and linked while requests run.
/// </summary>
[Category("Attacks")]
public class SymbolicLinkAttackTests : AttackGround
{
    private const string FakeVersion = "arn:aws:rekognition:us-east-1:123456789012:project/nowhere/version/v1/1700000000000";
    private int _projects;

    /// <summary>A version trained and running in this fixture: DetectCustomLabels checks the model before it reads the image.</summary>
    private string _running = null!;

    protected override async Task SetUpGroundAsync()
    {
        var project = await CreateProjectAsync("running");
        await CreateDatasetAsync(project, "TRAIN", "imgs", PutManifest("running-train", 6));
        await CreateDatasetAsync(project, "TEST", "imgs", PutManifest("running-test", 2));
        _running = (await OkAsync("CreateProjectVersion", new { ProjectArn = project, VersionName = "v1", OutputConfig = new { S3Bucket = "artifacts", S3KeyPrefix = "running/" } }))
            .GetProperty("ProjectVersionArn").GetString()!;
        var trained = await SettledVersionAsync(project, "v1", "TRAINING_IN_PROGRESS");
        Assert.That(trained.GetProperty("Status").GetString(), Is.EqualTo("TRAINING_COMPLETED"), trained.ToString());
        await OkAsync("StartProjectVersion", new { ProjectVersionArn = _running, MinInferenceUnits = 1 });
        var running = await SettledVersionAsync(project, "v1", "STARTING");
        Assert.That(running.GetProperty("Status").GetString(), Is.EqualTo("RUNNING"), running.ToString());

        Server.PutObject("imgs", "legit.png", Square(new SKColor(220, 30, 30), 1));
        Server.PutObject("imgs", "legit.manifest", System.Text.Encoding.UTF8.GetBytes(ClassificationLine("s3://imgs/legit.png", "red") + "\n"));
        Link("imgs", "d", Path.Combine(Outside, "deep"), folder: true);
        Link("imgs", "trick.manifest", "d/../secret.manifest");
        Link("imgs", "trick.png", "d/../secret.png");
        Link("imgs", "plain.manifest", Path.Combine(Outside, "secret.manifest"));
        Link("imgs", "plain.png", Path.Combine(Outside, "secret.png"));
        Link("imgs", "climb.manifest", "../../outside/secret.manifest");
        Link("imgs", "climb.png", "../../outside/secret.png");
        Link("imgs", "out", Outside, folder: true);
        Link("imgs", "nested/deeper/up", "../../../../outside", folder: true);
        Link("imgs", "chain1.png", "chain2.png");
        Link("imgs", "chain2.png", "out/secret.png");
        Link("evil", "", Outside, folder: true);
    }

    private static IEnumerable<TestCaseData> LinkedKeys()
    {
        yield return new TestCaseData("imgs", "trick").SetName("{m} through a linked folder then dot dot");
        yield return new TestCaseData("imgs", "plain").SetName("{m} an absolute link out");
        yield return new TestCaseData("imgs", "climb").SetName("{m} a relative link climbing out");
        yield return new TestCaseData("imgs", "out/secret").SetName("{m} a linked folder on the way");
        yield return new TestCaseData("imgs", "d/secret").SetName("{m} a linked folder to a deeper folder");
        yield return new TestCaseData("imgs", "nested/deeper/up/secret").SetName("{m} a relative folder link deep in the bucket");
        yield return new TestCaseData("evil", "secret").SetName("{m} a bucket that is a link");
    }

    private static IEnumerable<TestCaseData> KeyTricks()
    {
        yield return new TestCaseData("imgs", "../../outside/secret").SetName("{m} dot dot in the key");
        yield return new TestCaseData("imgs", "..\\..\\outside\\secret").SetName("{m} backslashes in the key");
        yield return new TestCaseData("imgs", "x/..\\../../outside/secret").SetName("{m} mixed separators in the key");
        yield return new TestCaseData("imgs", "%2e%2e/%2e%2e/outside/secret").SetName("{m} percent-encoded dots in the key");
        yield return new TestCaseData("imgs", "..%2f..%2foutside%2fsecret").SetName("{m} percent-encoded slashes in the key");
        yield return new TestCaseData("imgs", "/" + "ROOT/outside/secret").SetName("{m} an absolute key");
        yield return new TestCaseData("imgs", string.Concat(Enumerable.Repeat("../", 336)) + "secret").SetName("{m} a climbing key of about 1024 characters");
        yield return new TestCaseData("imgs", new string('a', 300) + "/secret").SetName("{m} a key segment longer than a file name");
        yield return new TestCaseData("..", "outside/secret").SetName("{m} dot dot as the bucket");
    }

    private string Key(string key, string extension) => key.Replace("ROOT", Server.Root.TrimStart('/'), StringComparison.Ordinal) + extension;

    [TestCaseSource(nameof(LinkedKeys))]
    [TestCaseSource(nameof(KeyTricks))]
    public async Task AManifest_IsNotReadFromOutside(string bucket, string key)
    {
        var project = await CreateProjectAsync($"manifest-{Interlocked.Increment(ref _projects)}");
        var message = await RefusedAsync("CreateDataset", new
        {
            ProjectArn = project,
            DatasetType = "TRAIN",
            DatasetSource = new { GroundTruthManifest = new { S3Object = new { Bucket = bucket, Name = Key(key, ".manifest") } } },
        }, bucket == ".." ? "InvalidParameterException" : "InvalidS3ObjectException");
        if (bucket != "..")
        {
            Assert.That(message, Does.Contain($"s3://{bucket}/"), "the caller is told the bucket and key");
        }

        AssertNothingEscaped();
    }

    [TestCaseSource(nameof(LinkedKeys))]
    [TestCaseSource(nameof(KeyTricks))]
    public async Task ADetectCustomLabelsImage_IsNotReadFromOutside(string bucket, string key)
    {
        // On a running model, so the image is what is refused.
        await RefusedAsync("DetectCustomLabels", new
        {
            ProjectVersionArn = _running,
            Image = new { S3Object = new { Bucket = bucket, Name = Key(key, ".png") } },
        }, "InvalidS3ObjectException");
        AssertNothingEscaped();
    }

    [Test]
    public async Task ADetectCustomLabelsImage_InsideTheBucket_IsRead()
    {
        var labels = (await OkAsync("DetectCustomLabels", new { ProjectVersionArn = _running, Image = new { S3Object = new { Bucket = "imgs", Name = "legit.png" } }, MinConfidence = 0 }))
            .GetProperty("CustomLabels");
        Assert.That(labels[0].GetProperty("Name").GetString(), Is.EqualTo("red"), "the image inside the bucket was read and labelled");
        await RefusedAsync("DetectCustomLabels", new { ProjectVersionArn = _running, Image = new { S3Object = new { Bucket = "imgs", Name = "chain1.png" } } }, "InvalidS3ObjectException");
        // A version that does not exist is answered before any image is read.
        await RefusedAsync("DetectCustomLabels", new { ProjectVersionArn = FakeVersion, Image = new { S3Object = new { Bucket = "imgs", Name = "chain1.png" } } }, "ResourceNotFoundException");
        AssertNothingEscaped();
    }

    [Test]
    public async Task DatasetImages_ReachedThroughLinks_AreEntriesInError_AndNeverRead()
    {
        var lines = new[] { "s3://imgs/legit.png", "s3://imgs/trick.png", "s3://imgs/plain.png", "s3://imgs/climb.png", "s3://imgs/out/secret.png", "s3://evil/secret.png", "s3://imgs/chain1.png" };
        Server.PutObject("imgs", "images.manifest", System.Text.Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => ClassificationLine(l, "red") + "\n"))));
        var project = await CreateProjectAsync("images");
        var dataset = await CreateDatasetAsync(project, "TRAIN", "imgs", "images.manifest");
        var description = await SettledDatasetAsync(dataset);
        Assert.That(description.GetProperty("Status").GetString(), Is.EqualTo("CREATE_COMPLETE"), description.ToString());
        var stats = description.GetProperty("DatasetStats");
        Assert.That(stats.GetProperty("TotalEntries").GetInt32(), Is.EqualTo(lines.Length));
        Assert.That(stats.GetProperty("ErrorEntries").GetInt32(), Is.EqualTo(lines.Length - 1), "every image behind a link out is in error");
        var errors = (await OkAsync("ListDatasetEntries", new { DatasetArn = dataset, HasErrors = true })).GetProperty("DatasetEntries");
        foreach (var entry in errors.EnumerateArray().Select(e => e.GetString()!))
        {
            Assert.That(entry, Does.Contain("ERROR_INVALID_IMAGE"), entry);
            Assert.That(entry, Does.Contain("symbolic link").Or.Contain("cannot be accessed"), entry);
        }

        AssertNothingEscaped();
    }

    [Test]
    public async Task AFolderFlippingBetweenRealAndALinkOut_NeverLetsAReadThrough()
    {
        // The real folder has no secret.png, the outside one does: any read that succeeds went outside.
        var bucket = Path.Combine(Buckets, "imgs");
        Directory.CreateDirectory(Path.Combine(bucket, "flip-real"));
        Server.PutObject("imgs", "flip-real/secret.manifest", System.Text.Encoding.UTF8.GetBytes(ClassificationLine("s3://imgs/legit.png", "red") + "\n"));
        Directory.CreateSymbolicLink(Path.Combine(bucket, "flip"), "flip-real");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        var flips = 0;
        var flipper = Task.Run(() =>
        {
            var outside = true;
            while (!stop.IsCancellationRequested)
            {
                var next = Path.Combine(bucket, "flip.next");
                Directory.CreateSymbolicLink(next, outside ? "../../outside" : "flip-real");
                // rename(2) of the new link over the old one: the folder is always one or the other.
                NativeMethods.ReplaceWith(next, Path.Combine(bucket, "flip"));
                outside = !outside;
                flips++;
            }
        });

        int detects = 0, datasets = 0;
        var arns = new List<string>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var answer = await CallAsync("DetectCustomLabels", new { ProjectVersionArn = _running, Image = new { S3Object = new { Bucket = "imgs", Name = "flip/secret.png" } } });
                Assert.That(answer.Json.GetProperty("__type").GetString(), Is.EqualTo("InvalidS3ObjectException"), "an image was read through the flipping link");
                detects++;
                var project = await CreateProjectAsync($"flip-{datasets++}");
                var created = await CallAsync("CreateDataset", new
                {
                    ProjectArn = project,
                    DatasetType = "TRAIN",
                    DatasetSource = new { GroundTruthManifest = new { S3Object = new { Bucket = "imgs", Name = "flip/secret.manifest" } } },
                });
                if (created.Status == 200)
                {
                    arns.Add(created.Json.GetProperty("DatasetArn").GetString()!);
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await flipper;
        }

        foreach (var arn in arns)
        {
            await SettledDatasetAsync(arn);
        }

        TestContext.Out.WriteLine($"{flips} flips, {detects} detects, {datasets} dataset attempts, {arns.Count} accepted");
        Assert.That(flips, Is.GreaterThan(10), "the folder flipped");
        AssertNothingEscaped();
    }
}
