using System.Text;
using System.Text.Json;
using Rekognition.Core.Manifests;
using Rekognition.Core.Model;
using Rekognition.Core.Tests.Conversion;

namespace Rekognition.Core.Tests.Manifests;

public class GroundTruthManifestWriterTests
{
    private static readonly DateTime When = new(2024, 5, 2, 8, 15, 30, 125, DateTimeKind.Utc);

    [Test]
    public void Classification_line_has_every_metadata_field()
    {
        var output = new MemoryStream();
        using (var writer = new GroundTruthManifestWriter(output, leaveOpen: true))
        {
            writer.WriteClassification("s3://my-bucket/kitchens/img_0042.jpg",
                new ImageLabel("room-type", "kitchen", When) { AttributeValue = 3, JobName = "labeling-job/room-type" });
        }

        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.That(text, Is.EqualTo(
            "{\"source-ref\":\"s3://my-bucket/kitchens/img_0042.jpg\",\"room-type\":3,\"room-type-metadata\":{\"confidence\":1," +
            "\"job-name\":\"labeling-job/room-type\",\"class-name\":\"kitchen\",\"human-annotated\":\"yes\"," +
            "\"creation-date\":\"2024-05-02T08:15:30.125000\",\"type\":\"groundtruth/image-classification\"}}\n"));
    }

    [Test]
    public void Multi_label_line_writes_one_attribute_pair_per_label()
    {
        var output = new MemoryStream();
        using (var writer = new GroundTruthManifestWriter(output, leaveOpen: true))
        {
            ImageLabel[] labels =
            [
                new("flower0", "helleborus", When) { JobName = "flowers" },
                new("flower1", "with_leaves", ManifestTimestamp.Verbatim("2024-05-02T08:15:30")) { AttributeValue = 1, Confidence = 0.5, HumanAnnotated = false },
            ];
            writer.WriteClassification("s3://my-bucket/flowers/helleborus2.jpg", labels);
        }

        var line = ConversionTestData.Lines(output).Single();
        Assert.That(line.GetProperty("flower0").GetInt32(), Is.EqualTo(0));
        Assert.That(line.GetProperty("flower1").GetInt32(), Is.EqualTo(1));
        var second = line.GetProperty("flower1-metadata");
        Assert.That(second.GetProperty("class-name").GetString(), Is.EqualTo("with_leaves"));
        Assert.That(second.GetProperty("confidence").GetDouble(), Is.EqualTo(0.5));
        Assert.That(second.GetProperty("human-annotated").GetString(), Is.EqualTo("no"));
        Assert.That(second.GetProperty("creation-date").GetString(), Is.EqualTo("2024-05-02T08:15:30"));
        Assert.That(second.TryGetProperty("job-name", out _), Is.False, "job-name is optional and left out when null");
        Assert.That(line.GetProperty("flower0-metadata").GetProperty("job-name").GetString(), Is.EqualTo("flowers"));
    }

    [Test]
    public void Bounding_box_line_keeps_fractions_and_writes_only_used_classes()
    {
        var output = new MemoryStream();
        using (var writer = new GroundTruthManifestWriter(output, leaveOpen: true))
        {
            writer.WriteBoundingBoxes("s3://my-bucket/boards/pcb_007.png", new ImageBoundingBoxes
            {
                ImageWidth = 1024,
                ImageHeight = 768,
                Annotations =
                [
                    new BoundingBoxAnnotation(2, 95, 410, 180, 150),
                    new BoundingBoxAnnotation(0, 300.5, 164.60000000000002, 64, 40) { Confidence = 0.32 },
                    new BoundingBoxAnnotation(2, 1, 2, 3, 4),
                ],
                ClassNames = new Dictionary<int, string> { [0] = "comparator", [1] = "unused", [2] = "ir_led" },
                JobName = "pcb-boxes",
                CreationDate = When,
            });
        }

        var line = ConversionTestData.Lines(output).Single();
        var attribute = line.GetProperty("bounding-box");
        var size = attribute.GetProperty("image_size");
        Assert.That(size.GetArrayLength(), Is.EqualTo(1));
        Assert.That(size[0].GetProperty("width").GetInt32(), Is.EqualTo(1024));
        Assert.That(size[0].GetProperty("height").GetInt32(), Is.EqualTo(768));
        Assert.That(size[0].GetProperty("depth").GetInt32(), Is.EqualTo(3));
        var second = attribute.GetProperty("annotations")[1];
        Assert.That(second.GetProperty("class_id").GetInt32(), Is.EqualTo(0));
        Assert.That(second.GetProperty("left").GetRawText(), Is.EqualTo("300.5"));
        Assert.That(second.GetProperty("top").GetRawText(), Is.EqualTo("164.60000000000002"));
        Assert.That(second.GetProperty("width").GetRawText(), Is.EqualTo("64"));
        var metadata = line.GetProperty("bounding-box-metadata");
        Assert.That(metadata.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("confidence").GetDouble()), Is.EqualTo(new[] { 1, 0.32, 1 }));
        Assert.That(metadata.GetProperty("class-map").EnumerateObject().Select(p => (p.Name, p.Value.GetString())),
            Is.EqualTo(new[] { ("2", "ir_led"), ("0", "comparator") }));
        Assert.That(metadata.GetProperty("type").GetString(), Is.EqualTo("groundtruth/object-detection"));
        Assert.That(metadata.GetProperty("human-annotated").GetString(), Is.EqualTo("yes"));
        Assert.That(metadata.GetProperty("creation-date").GetString(), Is.EqualTo("2024-05-02T08:15:30.125000"));
        Assert.That(metadata.GetProperty("job-name").GetString(), Is.EqualTo("pcb-boxes"));
    }

    [Test]
    public void Unlabelled_and_mixed_lines()
    {
        var output = new MemoryStream();
        using (var writer = new GroundTruthManifestWriter(output, leaveOpen: true))
        {
            writer.WriteUnlabelled("file:///data/a b.jpg");
            writer.WriteLine("s3://b/c.jpg", [new ImageLabel("scene", "kitchen", When)], new ImageBoundingBoxes
            {
                AttributeName = "boxes",
                ImageWidth = 10,
                ImageHeight = 20,
                ImageDepth = 1,
                Annotations = [new BoundingBoxAnnotation(7, 1, 2, 3, 4)],
                ClassNames = new Dictionary<int, string> { [7] = "oven" },
                CreationDate = When,
            });
            Assert.That(writer.LinesWritten, Is.EqualTo(2));
        }

        var lines = ConversionTestData.Lines(output);
        Assert.That(lines[0].EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "source-ref" }));
        Assert.That(lines[0].GetProperty("source-ref").GetString(), Is.EqualTo("file:///data/a b.jpg"));
        Assert.That(lines[1].EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "source-ref", "scene", "scene-metadata", "boxes", "boxes-metadata" }));
        Assert.That(lines[1].GetProperty("boxes-metadata").GetProperty("class-map").GetProperty("7").GetString(), Is.EqualTo("oven"));
        Assert.That(lines[1].GetProperty("boxes").GetProperty("image_size")[0].GetProperty("depth").GetInt32(), Is.EqualTo(1));
    }

    [TestCase("source-ref")]
    [TestCase("label-metadata")]
    [TestCase(" ")]
    public void Reserved_or_empty_attribute_names_are_rejected(string attribute)
    {
        using var writer = new GroundTruthManifestWriter(new MemoryStream());
        var error = Assert.Throws<InvalidParameterException>(() => writer.WriteClassification("s3://b/k.jpg", new ImageLabel(attribute, "x", When)));
        Assert.That(error!.Message, Does.Contain("cannot be a label attribute name"));
    }

    [Test]
    public void Bad_lines_are_rejected_before_anything_is_written()
    {
        var output = new MemoryStream();
        using (var writer = new GroundTruthManifestWriter(output, leaveOpen: true))
        {
            writer.WriteUnlabelled("s3://b/ok.jpg");
            Assert.Throws<InvalidParameterException>(() => writer.WriteClassification("s3://b/k.jpg", [new ImageLabel("a", "x", When), new ImageLabel("a", "y", When)]));
            Assert.Throws<InvalidParameterException>(() => writer.WriteClassification("s3://b/k.jpg", new ImageLabel("a", "x", When) { Confidence = 1.5 }));
            Assert.Throws<InvalidParameterException>(() => writer.WriteClassification("s3://b/k.jpg", new ImageLabel("a", "", When)));
            Assert.Throws<InvalidParameterException>(() => writer.WriteUnlabelled(""));
            var missingClass = Assert.Throws<InvalidParameterException>(() => writer.WriteBoundingBoxes("s3://b/k.jpg", new ImageBoundingBoxes
            {
                ImageWidth = 10,
                ImageHeight = 10,
                Annotations = [new BoundingBoxAnnotation(0, 1, 1, 2, 2), new BoundingBoxAnnotation(5, 1, 1, 2, 2)],
                ClassNames = new Dictionary<int, string> { [0] = "a" },
            }));
            Assert.That(missingClass!.Message, Does.Contain("class_id 5"));
            Assert.Throws<InvalidParameterException>(() => writer.WriteBoundingBoxes("s3://b/k.jpg", new ImageBoundingBoxes { ImageWidth = 0, ImageHeight = 10 }));
            Assert.Throws<InvalidParameterException>(() => writer.WriteBoundingBoxes("s3://b/k.jpg", new ImageBoundingBoxes
            {
                ImageWidth = 10,
                ImageHeight = 10,
                Annotations = [new BoundingBoxAnnotation(0, double.NaN, 1, 2, 2)],
                ClassNames = new Dictionary<int, string> { [0] = "a" },
            }));
            writer.WriteUnlabelled("s3://b/ok2.jpg");
        }

        var lines = ConversionTestData.Lines(output);
        Assert.That(lines.Select(l => l.GetProperty("source-ref").GetString()), Is.EqualTo(new[] { "s3://b/ok.jpg", "s3://b/ok2.jpg" }));
    }

    [Test]
    public void Many_lines_cross_the_flush_threshold_intact()
    {
        var output = new MemoryStream();
        using (var writer = new GroundTruthManifestWriter(output, leaveOpen: true))
        {
            for (var i = 0; i < 5000; i++)
            {
                writer.WriteClassification($"s3://bucket/images/{i:D6}.jpg", new ImageLabel("label", i % 2 == 0 ? "even" : "odd", When));
            }
        }

        var lines = ConversionTestData.Lines(output);
        Assert.That(lines, Has.Count.EqualTo(5000));
        Assert.That(lines[4321].GetProperty("source-ref").GetString(), Is.EqualTo("s3://bucket/images/004321.jpg"));
        Assert.That(lines[4321].GetProperty("label-metadata").GetProperty("class-name").GetString(), Is.EqualTo("odd"));
    }

    /// <summary>
    /// Every line of a real Ground Truth bounding-box job output, rebuilt with the writer, must be the same
    /// JSON (key order aside), including empty-box lines, fractional confidences and microsecond dates.
    /// </summary>
    [TestCase("bcbs-logo_object-detection_output.manifest", 470)]
    [TestCase("aws-sagemaker-examples_yolov5-bird_object-detection_sample_output.manifest", 100)]
    public void Rewrites_real_bounding_box_job_output_losslessly(string fileName, int expectedLines)
    {
        var originals = File.ReadAllLines(ConversionTestData.Path("groundtruth", "misc", fileName))
            .Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var output = new MemoryStream();
        using (var writer = new GroundTruthManifestWriter(output, leaveOpen: true))
        {
            foreach (var original in originals)
            {
                var attribute = original.EnumerateObject().Single(p => p.Name != "source-ref" && !p.Name.EndsWith("-metadata", StringComparison.Ordinal)).Name;
                var value = original.GetProperty(attribute);
                var metadata = original.GetProperty(attribute + "-metadata");
                var size = value.GetProperty("image_size")[0];
                var objects = metadata.GetProperty("objects");
                writer.WriteBoundingBoxes(original.GetProperty("source-ref").GetString()!, new ImageBoundingBoxes
                {
                    AttributeName = attribute,
                    ImageWidth = size.GetProperty("width").GetInt32(),
                    ImageHeight = size.GetProperty("height").GetInt32(),
                    ImageDepth = size.GetProperty("depth").GetInt32(),
                    Annotations = value.GetProperty("annotations").EnumerateArray().Select((a, i) => new BoundingBoxAnnotation(
                        a.GetProperty("class_id").GetInt32(), a.GetProperty("left").GetDouble(), a.GetProperty("top").GetDouble(),
                        a.GetProperty("width").GetDouble(), a.GetProperty("height").GetDouble())
                    { Confidence = objects[i].GetProperty("confidence").GetDouble() }).ToList(),
                    ClassNames = metadata.GetProperty("class-map").EnumerateObject().ToDictionary(p => int.Parse(p.Name), p => p.Value.GetString()!),
                    JobName = metadata.GetProperty("job-name").GetString(),
                    HumanAnnotated = metadata.GetProperty("human-annotated").GetString() == "yes",
                    CreationDate = ManifestTimestamp.Verbatim(metadata.GetProperty("creation-date").GetString()!),
                });
            }
        }

        var rewritten = ConversionTestData.Lines(output);
        Assert.That(rewritten, Has.Count.EqualTo(expectedLines));
        for (var i = 0; i < originals.Count; i++)
        {
            Assert.That(JsonElement.DeepEquals(originals[i], rewritten[i]), Is.True, $"line {i + 1}: {rewritten[i].GetRawText()}");
        }
    }
}
