using System.Text.Json;
using Rekognition.Core.Conversion;
using Rekognition.Core.Model;

namespace Rekognition.Core.Tests.Conversion;

public class FolderLabelsConverterTests
{
    private DirectoryInfo _temp = null!;

    [SetUp]
    public void CreateTree()
    {
        // The console example: alexa-devices/{echo, echo-dot/white-echo-dot, top-level.png}, under a bucket.
        _temp = Directory.CreateTempSubdirectory("folder-labels-");
        foreach (var file in new[]
        {
            "S3-bucket/alexa-devices/echo/echo-image-1.png",
            "S3-bucket/alexa-devices/echo-dot/echo-dot-image-1.png",
            "S3-bucket/alexa-devices/echo-dot/white-echo-dot/white-echo-dot-image-1.PNG",
            "S3-bucket/alexa-devices/echo-dot/notes.txt",
            "S3-bucket/alexa-devices/top-level.png",
        })
        {
            var path = Path.Combine(_temp.FullName, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, [1, 2, 3]);
        }
    }

    [TearDown]
    public void DeleteTree() => _temp.Delete(recursive: true);

    private static (ManifestConversionResult Result, List<JsonElement> Lines) Convert(string folder, FolderLabelsOptions? options = null)
    {
        var output = new MemoryStream();
        var result = new FolderLabelsConverter(options).Convert(folder, output);
        return (result, ConversionTestData.Lines(output));
    }

    private static string? ClassName(JsonElement line) =>
        line.TryGetProperty("label-metadata", out var metadata) ? metadata.GetProperty("class-name").GetString() : null;

    [Test]
    public void First_level_child_folder_is_the_label_however_deep()
    {
        var (result, lines) = Convert(Path.Combine(_temp.FullName, "S3-bucket", "alexa-devices"),
            new FolderLabelsOptions { BucketsRoot = _temp.FullName, CreationDate = new DateTime(2024, 5, 2, 0, 0, 0, DateTimeKind.Utc) });

        Assert.That(lines.Select(l => (l.GetProperty("source-ref").GetString(), ClassName(l))), Is.EqualTo(new (string?, string?)[]
        {
            ("s3://S3-bucket/alexa-devices/echo-dot/echo-dot-image-1.png", "echo-dot"),
            ("s3://S3-bucket/alexa-devices/echo-dot/white-echo-dot/white-echo-dot-image-1.PNG", "echo-dot"),
            ("s3://S3-bucket/alexa-devices/echo/echo-image-1.png", "echo"),
            ("s3://S3-bucket/alexa-devices/top-level.png", null),
        }));
        Assert.That(lines[3].EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "source-ref" }));
        var metadata = lines[0].GetProperty("label-metadata");
        Assert.That(metadata.GetProperty("type").GetString(), Is.EqualTo("groundtruth/image-classification"));
        Assert.That(metadata.GetProperty("creation-date").GetString(), Is.EqualTo("2024-05-02T00:00:00.000000"));
        Assert.That(metadata.GetProperty("confidence").GetDouble(), Is.EqualTo(1));
        Assert.That((result.Images, result.UnlabelledImages, result.Labels), Is.EqualTo((4, 1, 2)));
        Assert.That(result.LabelCounts["echo-dot"], Is.EqualTo(2));
        Assert.That(result.Warnings, Has.Some.Contains("notes.txt"));
    }

    [Test]
    public void A_deeper_folder_gives_the_deeper_labels_and_root_images_can_be_skipped()
    {
        var (_, lines) = Convert(Path.Combine(_temp.FullName, "S3-bucket", "alexa-devices", "echo-dot"));
        Assert.That(lines.Select(ClassName), Is.EqualTo(new string?[] { null, "white-echo-dot" }));
        Assert.That(lines[1].GetProperty("source-ref").GetString(), Does.StartWith("file:///"), "no buckets root: file URIs");

        var (result, skipped) = Convert(Path.Combine(_temp.FullName, "S3-bucket", "alexa-devices"), new FolderLabelsOptions { RootImages = RootImageHandling.Skip });
        Assert.That(skipped.Select(ClassName), Is.EqualTo(new[] { "echo-dot", "echo-dot", "echo" }));
        Assert.That(result.UnlabelledImages, Is.Zero);
    }

    [Test]
    public void Hymenoptera_train_gives_ants_and_bees_without_the_gif()
    {
        var folder = ConversionTestData.Path("hymenoptera", "train");
        var (result, lines) = Convert(folder);

        Assert.That(result.Images, Is.EqualTo(244));
        Assert.That(result.LabelCounts, Is.EquivalentTo(new Dictionary<string, int> { ["ants"] = 123, ["bees"] = 121 }));
        Assert.That(result.Warnings, Has.Some.Contains("imageNotFound.gif"));
        var refs = lines.Select(l => l.GetProperty("source-ref").GetString()!).ToList();
        Assert.That(refs, Has.None.Contains(".gif"));
        Assert.That(refs, Has.Some.EndsWith("/formica.jpeg"));
        Assert.That(refs.Select(r => new Uri(r).LocalPath).All(File.Exists), Is.True, "every file URI resolves back to the image, spaces included");
        Assert.That(refs, Is.EqualTo(refs.OrderBy(r => r, StringComparer.Ordinal)));
    }

    [Test]
    public void Hymenoptera_root_labels_by_split_folder()
    {
        var (result, _) = Convert(ConversionTestData.Path("hymenoptera"));
        Assert.That(result.LabelCounts, Is.EquivalentTo(new Dictionary<string, int> { ["train"] = 244, ["val"] = 153 }));
    }

    [Test]
    public void Missing_or_empty_folders_are_rejected()
    {
        var missing = Assert.Throws<InvalidParameterException>(() => Convert(Path.Combine(_temp.FullName, "nope")));
        Assert.That(missing!.Message, Does.Contain("does not exist"));
        var empty = Directory.CreateDirectory(Path.Combine(_temp.FullName, "empty", "sub"));
        File.WriteAllText(Path.Combine(empty.FullName, "readme.txt"), "x");
        var none = Assert.Throws<InvalidParameterException>(() => Convert(empty.Parent!.FullName));
        Assert.That(none!.Message, Does.Contain("holds no image"));
    }
}
