using System.Text.Json;
using Rekognition.Core.Conversion;
using Rekognition.Core.Model;

namespace Rekognition.Core.Tests.Conversion;

public class YoloLabelsConverterTests
{
    // Image sizes come from the COCO file of the same images, so no image decoder is needed here.
    private static readonly Lazy<Dictionary<string, (int, int)>> Sizes = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(ConversionTestData.Path("coco128", "annotations", "instances_train2017.json")));
        return document.RootElement.GetProperty("images").EnumerateArray().ToDictionary(
            i => i.GetProperty("file_name").GetString()!, i => (i.GetProperty("width").GetInt32(), i.GetProperty("height").GetInt32()));
    });

    private static (int, int) SizeOf(string path) => Sizes.Value[Path.GetFileName(path)];

    [Test]
    public void Dataset_yaml_names_are_read()
    {
        var names = YoloLabelsConverter.ReadClassNames(ConversionTestData.Path("coco128", "dataset.yaml"));
        Assert.That(names, Has.Count.EqualTo(80));
        Assert.That((names[0], names[45], names[79]), Is.EqualTo(("person", "bowl", "toothbrush")));
    }

    [Test]
    public void Coco128_yolo_labels_become_pixel_boxes()
    {
        var names = YoloLabelsConverter.ReadClassNames(ConversionTestData.Path("coco128", "dataset.yaml"));
        var output = new MemoryStream();
        var result = new YoloLabelsConverter(SizeOf, new YoloConversionOptions { BucketsRoot = ConversionTestData.Path() }).Convert(
            ConversionTestData.Path("coco128", "images", "train2017"), ConversionTestData.Path("coco128", "labels", "train2017"), names, output);
        var lines = ConversionTestData.Lines(output);

        Assert.That(lines, Has.Count.EqualTo(128));
        // 941 label lines, but 000000000656.txt and 000000000659.txt (12 boxes) have no image in this copy,
        // and 000000000250.jpg and 000000000508.jpg have no label file.
        Assert.That(result.BoundingBoxes, Is.EqualTo(929));
        Assert.That(result.Warnings, Has.Some.Contains("2 image(s) have no label file"));
        Assert.That(result.Warnings, Has.Some.Contains("000000000656.txt, 000000000659.txt"));
        Assert.That(lines.Single(l => l.GetProperty("source-ref").GetString()!.EndsWith("000000000250.jpg", StringComparison.Ordinal))
            .GetProperty("bounding-box").GetProperty("annotations").GetArrayLength(), Is.Zero);
        var first = lines[0];
        Assert.That(first.GetProperty("source-ref").GetString(), Is.EqualTo("s3://coco128/images/train2017/000000000009.jpg"));
        var box = first.GetProperty("bounding-box").GetProperty("annotations")[0];
        Assert.That(box.GetProperty("class_id").GetInt32(), Is.EqualTo(45));
        // Same box as the COCO file's [1.08, 187.69, 611.59, 285.84] for this image.
        Assert.That(box.GetProperty("left").GetDouble(), Is.EqualTo(1.08).Within(0.01));
        Assert.That(box.GetProperty("top").GetDouble(), Is.EqualTo(187.69).Within(0.01));
        Assert.That(box.GetProperty("width").GetDouble(), Is.EqualTo(611.59).Within(0.01));
        Assert.That(box.GetProperty("height").GetDouble(), Is.EqualTo(285.84).Within(0.01));
        Assert.That(first.GetProperty("bounding-box-metadata").GetProperty("class-map").GetProperty("45").GetString(), Is.EqualTo("bowl"));
    }

    [TestCase("0 0.5 0.5 0.2\n", "is not 'class cx cy w h'")]
    [TestCase("0 0.5 0.5 0.2 1.5\n", "between 0 and 1")]
    [TestCase("\n7 0.5 0.5 0.2 0.2\n", "line 2: class 7 is not in the dataset's names")]
    public void Bad_label_lines_name_file_and_line(string labels, string expected)
    {
        var directory = Directory.CreateTempSubdirectory("yolo-");
        try
        {
            File.WriteAllBytes(Path.Combine(directory.FullName, "a.jpg"), [0]);
            File.WriteAllText(Path.Combine(directory.FullName, "a.txt"), labels);
            var error = Assert.Throws<InvalidParameterException>(() => new YoloLabelsConverter(_ => (100, 100)).Convert(
                directory.FullName, directory.FullName, new Dictionary<int, string> { [0] = "x" }, new MemoryStream()));
            Assert.That(error!.Message, Does.Contain("label file 'a.txt'").And.Contain(expected));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
