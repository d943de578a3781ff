using System.Text;
using System.Text.Json;
using Rekognition.Core.Conversion;
using Rekognition.Core.Model;

namespace Rekognition.Core.Tests.Conversion;

public class CocoManifestConverterTests
{
    private static string Coco128 => ConversionTestData.Path("coco128", "annotations", "instances_train2017.json");

    private static (ManifestConversionResult Result, List<JsonElement> Lines) ConvertCoco128(CocoConversionOptions options)
    {
        using var input = File.OpenRead(Coco128);
        var output = new MemoryStream();
        var result = new CocoManifestConverter(options).Convert(input, output, "instances_train2017.json");
        return (result, ConversionTestData.Lines(output));
    }

    private static JsonElement LineFor(List<JsonElement> lines, string fileName) =>
        lines.Single(l => l.GetProperty("source-ref").GetString()!.EndsWith("/" + fileName, StringComparison.Ordinal));

    [Test]
    public void Coco128_gives_one_line_per_image_with_every_box()
    {
        var (result, lines) = ConvertCoco128(new CocoConversionOptions { ImagePrefix = "s3://my-bucket/coco128/images/" });

        Assert.That(lines, Has.Count.EqualTo(128));
        Assert.That(result.Images, Is.EqualTo(128));
        Assert.That(result.BoundingBoxes, Is.EqualTo(939), "crowd boxes are kept by default, as the reference script");
        Assert.That(result.Labels, Is.EqualTo(71));
        Assert.That(result.LabelCounts["bowl"], Is.GreaterThan(0));
        Assert.That(lines.Sum(l => l.GetProperty("bounding-box").GetProperty("annotations").GetArrayLength()), Is.EqualTo(939));
        Assert.That(result.Warnings, Has.Some.Contains("10 crowd annotation(s)"));
        Assert.That(result.Warnings, Has.Some.Contains("2 image(s) have no annotations"));
        Assert.That(lines[0].GetProperty("source-ref").GetString(), Is.EqualTo("s3://my-bucket/coco128/images/000000000009.jpg"));
    }

    [Test]
    public void A_known_image_maps_every_field()
    {
        var (_, lines) = ConvertCoco128(new CocoConversionOptions { ImagePrefix = "s3://my-bucket/coco128/images", JobName = "coco-import" });
        var line = LineFor(lines, "000000000009.jpg");

        Assert.That(line.GetProperty("source-ref").GetString(), Is.EqualTo("s3://my-bucket/coco128/images/000000000009.jpg"), "a '/' is added after the prefix");
        var boxes = line.GetProperty("bounding-box");
        var size = boxes.GetProperty("image_size")[0];
        Assert.That((size.GetProperty("width").GetInt32(), size.GetProperty("height").GetInt32(), size.GetProperty("depth").GetInt32()), Is.EqualTo((640, 480, 3)));
        var annotations = boxes.GetProperty("annotations");
        Assert.That(annotations.GetArrayLength(), Is.EqualTo(8));
        var first = annotations[0];
        Assert.That(first.GetProperty("class_id").GetInt32(), Is.EqualTo(51), "COCO category ids are used as they are");
        Assert.That(first.GetProperty("left").GetRawText(), Is.EqualTo("1.08"));
        Assert.That(first.GetProperty("top").GetRawText(), Is.EqualTo("187.69"));
        Assert.That(first.GetProperty("width").GetRawText(), Is.EqualTo("611.59"));
        Assert.That(first.GetProperty("height").GetRawText(), Is.EqualTo("285.84"));
        Assert.That(annotations[3].GetProperty("left").GetDouble(), Is.EqualTo(0.0));
        Assert.That(annotations.EnumerateArray().Select(a => a.GetProperty("class_id").GetInt32()), Is.EqualTo(new[] { 51, 51, 56, 51, 55, 55, 55, 55 }));

        var metadata = line.GetProperty("bounding-box-metadata");
        Assert.That(metadata.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("confidence").GetDouble()), Is.EqualTo(Enumerable.Repeat(1.0, 8)));
        var classMap = metadata.GetProperty("class-map").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.That(classMap, Is.EquivalentTo(new Dictionary<string, string?> { ["51"] = "bowl", ["56"] = "broccoli", ["55"] = "orange" }));
        Assert.That(metadata.GetProperty("type").GetString(), Is.EqualTo("groundtruth/object-detection"));
        Assert.That(metadata.GetProperty("human-annotated").GetString(), Is.EqualTo("yes"));
        Assert.That(metadata.GetProperty("creation-date").GetString(), Is.EqualTo("2013-11-19T20:40:11"), "date_captured with the space turned into T");
        Assert.That(metadata.GetProperty("job-name").GetString(), Is.EqualTo("coco-import"));
    }

    [Test]
    public void Crowd_annotations_can_be_left_out()
    {
        var (result, lines) = ConvertCoco128(new CocoConversionOptions { ImagePrefix = "s3://b/p/", Crowd = CocoCrowdHandling.Skip });

        Assert.That(result.BoundingBoxes, Is.EqualTo(929));
        var crowded = LineFor(lines, "000000000257.jpg").GetProperty("bounding-box").GetProperty("annotations");
        Assert.That(crowded.GetArrayLength(), Is.EqualTo(33));
        Assert.That(crowded.EnumerateArray().Any(a => a.GetProperty("width").GetDouble() == 611 && a.GetProperty("top").GetDouble() == 301), Is.False);

        var (_, kept) = ConvertCoco128(new CocoConversionOptions { ImagePrefix = "s3://b/p/" });
        var all = LineFor(kept, "000000000257.jpg").GetProperty("bounding-box").GetProperty("annotations");
        Assert.That(all.GetArrayLength(), Is.EqualTo(34));
        Assert.That(all[33].GetProperty("left").GetDouble(), Is.EqualTo(16));
        Assert.That(all[33].GetProperty("width").GetDouble(), Is.EqualTo(611));
    }

    [Test]
    public void Images_without_annotations_get_empty_lines_or_are_skipped()
    {
        var (_, lines) = ConvertCoco128(new CocoConversionOptions { ImagePrefix = "s3://b/p/" });
        var empty = LineFor(lines, "000000000250.jpg");
        Assert.That(empty.GetProperty("bounding-box").GetProperty("annotations").GetArrayLength(), Is.EqualTo(0));
        Assert.That(empty.GetProperty("bounding-box-metadata").GetProperty("objects").GetArrayLength(), Is.EqualTo(0));
        Assert.That(empty.GetProperty("bounding-box-metadata").GetProperty("class-map").EnumerateObject().Count(), Is.EqualTo(0));

        var (result, skipped) = ConvertCoco128(new CocoConversionOptions { ImagePrefix = "s3://b/p/", SkipImagesWithoutAnnotations = true });
        Assert.That(skipped, Has.Count.EqualTo(126));
        Assert.That(result.Warnings, Has.Some.Contains("2 image(s) without annotations were left out"));
    }

    [Test]
    public void Local_folder_prefix_gives_file_uris_or_s3_under_the_buckets_root()
    {
        var images = ConversionTestData.Path("coco128", "images", "train2017");
        var (_, fileLines) = ConvertCoco128(new CocoConversionOptions { ImagePrefix = images });
        var sourceRef = fileLines[0].GetProperty("source-ref").GetString()!;
        Assert.That(sourceRef, Does.StartWith("file:///"));
        Assert.That(new Uri(sourceRef).LocalPath, Is.EqualTo(Path.Combine(images, "000000000009.jpg")));
        Assert.That(File.Exists(new Uri(sourceRef).LocalPath), Is.True);

        var (_, s3Lines) = ConvertCoco128(new CocoConversionOptions { ImagePrefix = images, BucketsRoot = ConversionTestData.Path() });
        Assert.That(s3Lines[0].GetProperty("source-ref").GetString(), Is.EqualTo("s3://coco128/images/train2017/000000000009.jpg"));
    }

    [Test]
    public void S3_coco_url_is_used_as_is_and_other_urls_need_a_prefix()
    {
        const string coco = """
            {"images":[{"id":7,"width":800,"height":600,"file_name":"a.jpg","date_captured":"2021-03-04 10:11:12","coco_url":"s3://other/a.jpg"},
                       {"id":8,"width":800,"height":600,"file_name":"b.jpg","date_captured":"2021-03-04 10:11:12","coco_url":"http://x/b.jpg"}],
             "annotations":[{"image_id":7,"category_id":4,"bbox":[120.5,40,200,310]}],
             "categories":[{"id":4,"name":"helmet"}]}
            """;
        var output = new MemoryStream();
        new CocoManifestConverter(new CocoConversionOptions { ImagePrefix = "s3://my-bucket/coco/" }).Convert(new MemoryStream(Encoding.UTF8.GetBytes(coco)), output);
        var lines = ConversionTestData.Lines(output);
        Assert.That(lines.Select(l => l.GetProperty("source-ref").GetString()), Is.EqualTo(new[] { "s3://other/a.jpg", "s3://my-bucket/coco/b.jpg" }));
        Assert.That(lines[0].GetProperty("bounding-box").GetProperty("annotations")[0].GetProperty("left").GetRawText(), Is.EqualTo("120.5"));

        var error = Assert.Throws<InvalidParameterException>(() =>
            new CocoManifestConverter().Convert(new MemoryStream(Encoding.UTF8.GetBytes(coco)), new MemoryStream(), "x.json"));
        Assert.That(error!.Message, Does.Contain("images[1]").And.Contain("ImagePrefix"));
    }

    private const string Valid = """{"images":[{"id":1,"width":10,"height":10,"file_name":"a.jpg","date_captured":"2020-01-01 00:00:00"}],"categories":[{"id":3,"name":"cat"}],"annotations":[ANN]}""";

    [TestCase("{\"image_id\":2,\"category_id\":3,\"bbox\":[1,2,3,4]}", "image_id 2, which is not in 'images'")]
    [TestCase("{\"image_id\":1,\"category_id\":9,\"bbox\":[1,2,3,4]}", "category_id 9, which is not in 'categories'")]
    [TestCase("{\"image_id\":1,\"category_id\":3,\"bbox\":[1,2,3]}", "array of 4 numbers")]
    [TestCase("{\"image_id\":1,\"category_id\":3,\"bbox\":[1,2,\"3\",4]}", "bbox[2]")]
    [TestCase("{\"image_id\":1,\"category_id\":3}", "needs 'bbox'")]
    [TestCase("{\"image_id\":1,\"category_id\":3,\"bbox\":[1,2,-3,4]}", "negative bbox width")]
    [TestCase("{\"id\":42,\"category_id\":3,\"bbox\":[1,2,3,4]}", "annotations[0] (id 42) has no 'image_id'")]
    [TestCase("{\"image_id\":1,\"category_id\":3,\"bbox\":[1,2,3,4],\"iscrowd\":2}", "iscrowd")]
    public void Bad_annotations_name_the_element_and_the_problem(string annotation, string expected)
    {
        var error = Assert.Throws<InvalidParameterException>(() => ConvertText(Valid.Replace("ANN", annotation)));
        Assert.That(error!.Message, Does.Contain("COCO file 'bad.json'").And.Contain(expected));
        Assert.That(error.ErrorCode, Is.EqualTo("InvalidParameterException"));
    }

    [TestCase("", "not valid JSON")]
    [TestCase("{\"images\":[", "not valid JSON")]
    [TestCase("[]", "top level must be an object")]
    [TestCase("{\"images\":[]}", "'categories' array")]
    [TestCase("{\"categories\":[]}", "'images' array")]
    [TestCase("{\"images\":[{\"id\":1,\"width\":10,\"height\":10}],\"categories\":[]}", "images[0] (id 1) has no 'file_name'")]
    [TestCase("{\"images\":[{\"id\":1,\"width\":0,\"height\":10,\"file_name\":\"a.jpg\"}],\"categories\":[]}", "must be positive")]
    [TestCase("{\"images\":[{\"id\":1,\"width\":5,\"height\":10,\"file_name\":\"a.jpg\",\"date_captured\":\"yesterday\"}],\"categories\":[]}", "not a date")]
    [TestCase("{\"images\":[],\"categories\":[{\"id\":1,\"name\":\"a\"},{\"id\":1,\"name\":\"b\"}]}", "repeats category id 1")]
    [TestCase("{\"images\":[],\"categories\":[{\"id\":1}]}", "categories[0] has no 'name'")]
    public void Malformed_files_are_rejected(string coco, string expected)
    {
        var error = Assert.Throws<InvalidParameterException>(() => ConvertText(coco));
        Assert.That(error!.Message, Does.Contain(expected));
    }

    [Test]
    public void Missing_date_captured_uses_the_default_date_with_a_warning()
    {
        const string coco = """{"images":[{"id":1,"width":10,"height":10,"file_name":"a.jpg"}],"categories":[{"id":3,"name":"cat"}],"annotations":[{"image_id":1,"category_id":3,"bbox":[1,2,3,4]}]}""";
        var output = new MemoryStream();
        var result = new CocoManifestConverter(new CocoConversionOptions { ImagePrefix = "s3://b/", DefaultCreationDate = new DateTime(2022, 1, 21, 14, 21, 5, DateTimeKind.Utc) })
            .Convert(new MemoryStream(Encoding.UTF8.GetBytes(coco)), output);
        var line = ConversionTestData.Lines(output).Single();
        Assert.That(line.GetProperty("bounding-box-metadata").GetProperty("creation-date").GetString(), Is.EqualTo("2022-01-21T14:21:05.000000"));
        Assert.That(result.Warnings, Has.Some.Contains("no date_captured"));
    }

    [Test]
    public void ConvertFile_writes_the_manifest_and_leaves_no_file_on_error()
    {
        var directory = Directory.CreateTempSubdirectory("coco-convert-");
        try
        {
            var manifest = Path.Combine(directory.FullName, "out", "custom_labels.manifest");
            var result = new CocoManifestConverter(new CocoConversionOptions { ImagePrefix = "s3://b/" }).ConvertFile(Coco128, manifest);
            Assert.That(File.ReadAllLines(manifest), Has.Length.EqualTo(128));
            Assert.That(result.Images, Is.EqualTo(128));

            var bad = Path.Combine(directory.FullName, "bad.json");
            File.WriteAllText(bad, "{\"images\":[]}");
            var other = Path.Combine(directory.FullName, "bad.manifest");
            Assert.Throws<InvalidParameterException>(() => new CocoManifestConverter().ConvertFile(bad, other));
            Assert.That(Directory.GetFiles(directory.FullName), Is.EquivalentTo(new[] { bad }));
            Assert.Throws<InvalidParameterException>(() => new CocoManifestConverter().ConvertFile(Path.Combine(directory.FullName, "missing.json"), other));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static ManifestConversionResult ConvertText(string coco) =>
        new CocoManifestConverter(new CocoConversionOptions { ImagePrefix = "s3://b/" }).Convert(new MemoryStream(Encoding.UTF8.GetBytes(coco)), new MemoryStream(), "bad.json");
}
