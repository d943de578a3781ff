namespace Rekognition.Server.Tests.Attacks;

/// <summary>
/// OutputConfig locations that would put training or copy results anywhere on the machine: each request must fail
/// with InvalidParameterException before anything is written, for CreateProjectVersion and CopyProjectVersion alike.
/// The project has datasets that train, so a request that got through would start writing at once.
/// </summary>
[Category("Attacks")]
public class OutputConfigAttackTests : AttackGround
{
    private string _project = null!;
    private string _trained = null!;

    protected override async Task SetUpGroundAsync()
    {
        _project = await CreateProjectAsync("outputs");
        await CreateDatasetAsync(_project, "TRAIN", "imgs", PutManifest("outputs-train", 6));
        await CreateDatasetAsync(_project, "TEST", "imgs", PutManifest("outputs-test", 2));

        // A source version to copy from: imported models are not reachable over HTTP, so one trained version serves.
        var created = await OkAsync("CreateProjectVersion", new { ProjectArn = _project, VersionName = "source", OutputConfig = new { S3Bucket = "artifacts", S3KeyPrefix = "outputs/" } });
        _trained = created.GetProperty("ProjectVersionArn").GetString()!;
        var version = await SettledVersionAsync(_project, "source", "TRAINING_IN_PROGRESS");
        Assert.That(version.GetProperty("Status").GetString(), Is.EqualTo("TRAINING_COMPLETED"), version.ToString());
    }

    /// <summary>Bucket, prefix and version name of each attack (the files would go to s3://bucket/prefix + version + "/").</summary>
    private static IEnumerable<TestCaseData> Attacks()
    {
        var absolute = Path.Combine(Path.GetTempPath(), "rk-attack-absolute-" + Guid.NewGuid().ToString("N"));
        yield return new TestCaseData("imgs", "../../outside/", "v1").SetName("prefix climbs out of the buckets root");
        yield return new TestCaseData("imgs", "../", "v1").SetName("prefix climbs into the buckets root");
        yield return new TestCaseData("imgs", "a/../../../outside/", "v1").SetName("prefix climbs after a folder");
        yield return new TestCaseData("imgs", "..\\..\\outside\\", "v1").SetName("prefix climbs with backslashes");
        yield return new TestCaseData("imgs", "a/..\\../outside/", "v1").SetName("prefix climbs with mixed separators");
        yield return new TestCaseData("imgs", "./", "v1").SetName("prefix is a dot folder");
        yield return new TestCaseData("imgs", absolute + "/", "v1").SetName("prefix is an absolute path");
        yield return new TestCaseData("imgs", "a//b/", "v1").SetName("prefix has an empty segment");
        yield return new TestCaseData("imgs", "nul\0/", "v1").SetName("prefix has a NUL");
        yield return new TestCaseData("imgs", new string('a', 300) + "/", "v1").SetName("prefix segment longer than a file name");
        yield return new TestCaseData("imgs", string.Concat(Enumerable.Repeat("abc/", 257)), "v1").SetName("prefix longer than 1024 characters");
        yield return new TestCaseData("imgs", string.Concat(Enumerable.Repeat("a/", 511)) + "x", "v1").SetName("prefix plus version longer than 1024 characters");
        yield return new TestCaseData("imgs", "", "..").SetName("version named dot dot with no prefix");
        yield return new TestCaseData("imgs", "", ".").SetName("version named dot with no prefix");
        yield return new TestCaseData("imgs", "deep/", "..").SetName("version named dot dot after a prefix");
        yield return new TestCaseData("../x", "", "v1").SetName("bucket climbs");
        yield return new TestCaseData("..", "", "v1").SetName("bucket is dot dot");
        yield return new TestCaseData("...", "", "v1").SetName("bucket is three dots");
        yield return new TestCaseData(absolute, "", "v1").SetName("bucket is an absolute path");
        yield return new TestCaseData("imgs/../../outside", "", "v1").SetName("bucket holds a path");
        yield return new TestCaseData("imgs\\..\\x", "", "v1").SetName("bucket holds backslashes");
        yield return new TestCaseData("-imgs", "", "v1").SetName("bucket starts with a hyphen");
        yield return new TestCaseData("127.0.0.1", "", "v1").SetName("bucket is an IP address");
    }

    [TestCaseSource(nameof(Attacks))]
    public async Task CreateProjectVersion_RefusesTheLocation_BeforeWritingAnything(string bucket, string prefix, string versionName)
    {
        var before = await VersionCountAsync();
        var message = await RefusedAsync("CreateProjectVersion", new
        {
            ProjectArn = _project,
            VersionName = versionName,
            OutputConfig = new { S3Bucket = bucket, S3KeyPrefix = prefix },
        }, "InvalidParameterException");
        Assert.That(message, Does.Contain("OutputConfig").IgnoreCase.Or.Contain("VersionName"));
        Assert.That(await VersionCountAsync(), Is.EqualTo(before), "no version was created");
        AssertNothingEscaped();
    }

    private async Task<int> VersionCountAsync() =>
        (await OkAsync("DescribeProjectVersions", new { ProjectArn = _project })).GetProperty("ProjectVersionDescriptions").GetArrayLength();

    [TestCaseSource(nameof(Attacks))]
    public async Task CopyProjectVersion_RefusesTheLocation_BeforeWritingAnything(string bucket, string prefix, string versionName)
    {
        var before = await VersionCountAsync();
        await RefusedAsync("CopyProjectVersion", new
        {
            SourceProjectArn = _project,
            SourceProjectVersionArn = _trained,
            DestinationProjectArn = _project,
            VersionName = versionName,
            OutputConfig = new { S3Bucket = bucket, S3KeyPrefix = prefix },
        }, "InvalidParameterException");
        Assert.That(await VersionCountAsync(), Is.EqualTo(before), "no version was created");
        AssertNothingEscaped();
    }

    [Test]
    public async Task PercentEncodedDots_AreALiteralFolderName_InsideTheBucket()
    {
        // Decision: S3 keys are not URL-decoded (the JSON body carries them as they are), so "%2e%2e" is a folder name.
        var created = await OkAsync("CopyProjectVersion", new
        {
            SourceProjectArn = _project,
            SourceProjectVersionArn = _trained,
            DestinationProjectArn = _project,
            VersionName = "percent",
            OutputConfig = new { S3Bucket = "imgs", S3KeyPrefix = "%2e%2e/%2E%2E/" },
        });
        Assert.That(created.GetProperty("ProjectVersionArn").GetString(), Is.Not.Empty);
        var copy = await SettledVersionAsync(_project, "percent", "COPYING_IN_PROGRESS");
        Assert.That(copy.GetProperty("Status").GetString(), Is.EqualTo("COPYING_COMPLETED"), copy.ToString());
        var summary = copy.GetProperty("EvaluationResult").GetProperty("Summary").GetProperty("S3Object");
        Assert.That(summary.GetProperty("Name").GetString(), Does.StartWith("%2e%2e/%2E%2E/percent/"));
        Assert.That(File.Exists(Path.Combine(Buckets, "imgs", "%2e%2e", "%2E%2E", "percent", Path.GetFileName(summary.GetProperty("Name").GetString()!))), Is.True);
        AssertNothingEscaped();
    }

    [Test]
    public async Task AnOutputFolderThatIsALinkOut_FailsTheCopy_AndWritesNothingThere()
    {
        // The location is a valid key, but a folder on the way is a symbolic link out of the buckets root.
        Link("imgs", "linked", Outside, folder: true);
        await OkAsync("CopyProjectVersion", new
        {
            SourceProjectArn = _project,
            SourceProjectVersionArn = _trained,
            DestinationProjectArn = _project,
            VersionName = "via-link",
            OutputConfig = new { S3Bucket = "imgs", S3KeyPrefix = "linked/" },
        });
        var copy = await SettledVersionAsync(_project, "via-link", "COPYING_IN_PROGRESS");
        Assert.That(copy.GetProperty("Status").GetString(), Is.EqualTo("COPYING_FAILED"), copy.ToString());
        Assert.That(copy.GetProperty("StatusMessage").GetString(), Does.Contain("symbolic link"));
        File.Delete(Path.Combine(Buckets, "imgs", "linked"));
        AssertNothingEscaped();
    }

    [Test]
    public async Task AnOutputFolderThatIsALinkOut_FailsTheTraining_AndWritesNothingThere()
    {
        Link("artifacts", "to-outside", Path.Combine(Outside, "deep"), folder: true);
        await OkAsync("CreateProjectVersion", new { ProjectArn = _project, VersionName = "linked", OutputConfig = new { S3Bucket = "artifacts", S3KeyPrefix = "to-outside/" } });
        var version = await SettledVersionAsync(_project, "linked", "TRAINING_IN_PROGRESS");
        Assert.That(version.GetProperty("Status").GetString(), Is.EqualTo("TRAINING_FAILED"), version.ToString());
        Assert.That(version.GetProperty("StatusMessage").GetString(), Does.Contain("s3://artifacts/to-outside/linked/").And.Contain("symbolic link"));
        File.Delete(Path.Combine(Buckets, "artifacts", "to-outside"));
        AssertNothingEscaped();
    }
}
