using System.Text;
using System.Text.Json.Nodes;
using Rekognition.Core.Storage;
using Rekognition.Core.Tests.TestSupport;
using Rekognition.Core.Validation;

namespace Rekognition.Core.Tests.Validation;

public class TrainingManifestValidationTests
{
    private ValidatorFixture _fx = null!;
    private LocalFolderObjectStore _objects = null!;
    private ValidationOutputKeys _output = null!;

    [SetUp]
    public void SetUp()
    {
        _fx = new ValidatorFixture();
        (_objects, _output) = Output(_fx);
    }

    /// <summary>An object store of its own beside the fixture's buckets, and the three keys in it.</summary>
    private static (LocalFolderObjectStore Objects, ValidationOutputKeys Keys) Output(ValidatorFixture fx)
    {
        var objects = new LocalFolderObjectStore(Path.Combine(fx.Root, "objects"));
        return (objects, new ValidationOutputKeys(objects, "out/summary", "out/training", "out/testing"));
    }

    private async Task<List<string>> StoredKeys() => await _objects.ListAsync("out").ToListAsync();

    private async Task<string> ReadObject(string key)
    {
        await using var stream = await _objects.OpenReadAsync(key) ?? throw new AssertionException($"no object at {key}");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    [TearDown]
    public void TearDown() => _fx.Dispose();

    private static MemoryStream Manifest(IEnumerable<string> lines)
    {
        var list = lines.ToList();
        return new MemoryStream(list.Count == 0 ? [] : Encoding.UTF8.GetBytes(string.Join("\n", list) + "\n"));
    }

    private static IEnumerable<string> Classified(string prefix, int count, params string[] labels) =>
        Enumerable.Range(0, count).Select(i => GroundTruthLines.Classification($"s3://bucket/{prefix}{i}.jpg", labels[i % labels.Length]));

    private Task<ManifestSummary> Run(IEnumerable<string> training, IEnumerable<string> testing) =>
        new TrainingManifestValidation(_fx.Limits, _fx.Resolver, checkImages: false).RunAsync(Manifest(training), null, Manifest(testing), null, _output, CancellationToken.None);

    [Test]
    public async Task WritesTheThreeFiles()
    {
        var training = Classified("tr", 10, "cat", "dog").Append("{broken");
        var summary = await Run(training, Classified("te", 4, "cat", "dog"));
        Assert.That(summary.HasTerminalErrors, Is.False);
        Assert.That(await StoredKeys(), Is.EquivalentTo(new[] { _output.Summary, _output.TrainingManifest, _output.TestingManifest }), "the three objects and no temporary");
        var file = JsonNode.Parse(await ReadObject(_output.Summary))!;
        var stats = file["statistics"]!["training"]!;
        Assert.That((string)stats["use_case"]!, Is.EqualTo("IMAGE_LEVEL_LABELS"));
        Assert.That(((int)stats["total_json_lines"]!, (int)stats["valid_json_lines"]!, (int)stats["invalid_json_lines"]!, (int)stats["ignored_json_lines"]!), Is.EqualTo((11, 10, 1, 0)));
        Assert.That(stats["error_json_line_indices"]!.AsArray().Select(n => (int)n!), Is.EqualTo(new[] { 11 }));
        var trainingLines = (await ReadObject(_output.TrainingManifest)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(trainingLines, Has.Length.EqualTo(11));
        Assert.That(trainingLines[10], Does.Contain(ValidationCodes.InvalidJsonLine));
        Assert.That((await ReadObject(_output.TestingManifest)).Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(4));
        Assert.That(Directory.GetFileSystemEntries(_fx.Root), Is.EquivalentTo(new[] { Path.Combine(_fx.Root, "buckets"), Path.Combine(_fx.Root, "objects") }),
            "nothing is written outside the object store");
    }

    [Test]
    public async Task TooManyInvalidRows()
    {
        var summary = await Run(Classified("tr", 7, "cat", "dog").Concat(["{", "{", "{"]), Classified("te", 4, "cat", "dog"));
        Assert.That(summary.Statistics.Training.Errors.Single().Code, Is.EqualTo(ValidationCodes.TooManyInvalidRowsInManifest));
        Assert.That(summary.Statistics.Training.UseCase, Is.EqualTo(ManifestUseCase.NotDetermined));
    }

    [Test]
    public async Task TooFewLabelsForClassification()
    {
        var summary = await Run(Classified("tr", 5, "cat"), Classified("te", 2, "cat"));
        Assert.That(summary.Statistics.Training.Errors.Single().Code, Is.EqualTo(ValidationCodes.ManifestTooFewLabels));
    }

    [Test]
    public async Task TooManyLabels()
    {
        using var fx = new ValidatorFixture(new ManifestLimits { MaxLabels = 3 });
        var summary = await new TrainingManifestValidation(fx.Limits, fx.Resolver, checkImages: false)
            .RunAsync(Manifest(Classified("tr", 8, "a", "b", "c", "d")), null, Manifest(Classified("te", 4, "a", "b")), null, Output(fx).Keys, CancellationToken.None);
        Assert.That(summary.Statistics.Training.Errors.Single().Code, Is.EqualTo(ValidationCodes.ManifestTooManyLabels));
    }

    [Test]
    public async Task LabelOverlapAndUsableLabelOverlap()
    {
        var low = await Run(Classified("tr", 6, "a", "b", "c"), Classified("te", 3, "a", "x"));
        Assert.That(low.Errors.Single().Code, Is.EqualTo(ValidationCodes.InsufficientLabelOverlap));
        Assert.That(low.Errors.Single().Message, Is.EqualTo("Less than 50% label overlap between the training and testing manifest files."));

        // Training boxes labelled c0/c1 plus image-level a/b; object location is chosen; test boxes only c5 but image-level a/b.
        var training = Enumerable.Range(0, 6).Select(i => GroundTruthLines.Boxes($"s3://bucket/b{i}.jpg", 100, 100, (i % 2, 1, 1, 10, 10)))
            .Concat(Classified("tr", 2, "c0", "c1"));
        var testing = Enumerable.Range(0, 3).Select(i => GroundTruthLines.Boxes($"s3://bucket/t{i}.jpg", 100, 100, (5, 1, 1, 10, 10)))
            .Concat(Classified("te", 2, "c0", "c1"));
        var usable = await Run(training, testing);
        Assert.That(usable.Statistics.Training.UseCase, Is.EqualTo(ManifestUseCase.ObjectLocalization));
        Assert.That(usable.Errors.Single().Code, Is.EqualTo(ValidationCodes.InsufficientUsableLabelOverlap));
    }

    [Test]
    public async Task BrandDetectionImageLevelTrainingWithBoxedTestIsObjectLocalization()
    {
        var testing = Enumerable.Range(0, 3).Select(i => GroundTruthLines.Boxes($"s3://bucket/t{i}.jpg", 100, 100, (0, 1, 1, 10, 10)))
            .Select(l => l.Replace("\"c0\"", "\"logo\"", StringComparison.Ordinal));
        var summary = await Run(Classified("tr", 6, "logo"), testing);
        Assert.That(summary.Statistics.Testing.UseCase, Is.EqualTo(ManifestUseCase.ObjectLocalization));
        Assert.That(summary.HasTerminalErrors, Is.False);
    }

    [Test]
    public async Task TooFewUsableLabels()
    {
        // Mostly image-level lines (so image-level is chosen) but the only labels... are on boxes plus one class.
        var training = Classified("tr", 5, "a").Concat(Enumerable.Range(0, 2).Select(i => GroundTruthLines.Boxes($"s3://bucket/b{i}.jpg", 100, 100, (0, 1, 1, 10, 10))));
        var summary = await Run(training, Classified("te", 3, "a"));
        Assert.That(summary.Statistics.Training.Errors.Single().Code, Is.EqualTo(ValidationCodes.ManifestTooFewUsableLabels));
    }

    [Test]
    public async Task MultipleBucketsAndSharedImages()
    {
        Directory.CreateDirectory(Path.Combine(_fx.Root, "buckets", "other"));
        var training = Classified("tr", 6, "a", "b").Append(GroundTruthLines.Classification("s3://other/z.jpg", "a"));
        var summary = await Run(training, Classified("tr", 2, "a", "b"));
        Assert.That(summary.Statistics.Training.Errors.Single().Code, Is.EqualTo(ValidationCodes.ImagesInMultipleS3Buckets));
        Assert.That(summary.Errors.Single().Code, Is.EqualTo(ValidationCodes.TrainingTestingAssetOverlap));
    }

    [Test]
    public async Task FileErrorsWriteNothing()
    {
        var summary = await Run(Classified("tr", 4, "a", "b"), []);
        Assert.That((summary.FileError?.Code, summary.FileErrorDataset), Is.EqualTo((ValidationCodes.ManifestEmpty, "testing")));
        Assert.That(await StoredKeys(), Is.Empty, "the training manifest validated before the testing one failed is not kept either");

        summary = await Run([], Classified("te", 4, "a", "b"));
        Assert.That((summary.FileError?.Code, summary.FileErrorDataset), Is.EqualTo((ValidationCodes.ManifestEmpty, "training")));
        Assert.That(await StoredKeys(), Is.Empty);
        Assert.That(Directory.Exists(Path.Combine(_fx.Root, "objects")) ? Directory.GetFiles(Path.Combine(_fx.Root, "objects"), "*", SearchOption.AllDirectories) : [], Is.Empty,
            "no temporary file is left either");
    }
}
