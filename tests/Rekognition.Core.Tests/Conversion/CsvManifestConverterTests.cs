using System.Text;
using System.Text.Json;
using Rekognition.Core.Conversion;
using Rekognition.Core.Model;

namespace Rekognition.Core.Tests.Conversion;

public class CsvManifestConverterTests
{
    private static readonly DateTime When = new(2022, 1, 21, 14, 21, 5, DateTimeKind.Utc);

    private static (CsvConversionResult Result, List<JsonElement> Lines) Convert(string csv, CsvConversionOptions? options = null)
    {
        var output = new MemoryStream();
        options ??= new CsvConversionOptions { ImagePrefix = "s3://bucket/flowers/train/" };
        options.CreationDate ??= When;
        var result = new CsvManifestConverter(options).Convert(new MemoryStream(Encoding.UTF8.GetBytes(csv)), output, "flowers.csv");
        return (result, ConversionTestData.Lines(output));
    }

    [Test]
    public void Multi_label_row_gives_one_attribute_pair_per_label_named_after_it()
    {
        var (result, lines) = Convert("camellia1.jpg,camellia,with_leaves\nhelleborus1.jpg,helleborus,without_leaves,not_fully_grown\n");

        Assert.That(lines, Has.Count.EqualTo(2));
        var line = lines[0];
        Assert.That(line.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "source-ref", "camellia", "camellia-metadata", "with_leaves", "with_leaves-metadata" }));
        Assert.That(line.GetProperty("source-ref").GetString(), Is.EqualTo("s3://bucket/flowers/train/camellia1.jpg"));
        Assert.That(line.GetProperty("camellia").GetInt32(), Is.EqualTo(1));
        var metadata = line.GetProperty("camellia-metadata");
        Assert.That(metadata.GetProperty("confidence").GetDouble(), Is.EqualTo(1));
        Assert.That(metadata.GetProperty("job-name").GetString(), Is.EqualTo("labeling-job/camellia"));
        Assert.That(metadata.GetProperty("class-name").GetString(), Is.EqualTo("camellia"));
        Assert.That(metadata.GetProperty("human-annotated").GetString(), Is.EqualTo("yes"));
        Assert.That(metadata.GetProperty("creation-date").GetString(), Is.EqualTo("2022-01-21T14:21:05.000000"));
        Assert.That(metadata.GetProperty("type").GetString(), Is.EqualTo("groundtruth/image-classification"));
        Assert.That(lines[1].GetProperty("not_fully_grown-metadata").GetProperty("class-name").GetString(), Is.EqualTo("not_fully_grown"));

        Assert.That(result.ManifestWritten, Is.True);
        Assert.That((result.Images, result.Labels, result.ImageLabels, result.BoundingBoxes), Is.EqualTo((2, 5, 5, 0)));
        Assert.That(result.HasDuplicates, Is.False);
    }

    [Test]
    public void Empty_columns_blank_rows_quotes_and_repeated_labels()
    {
        const string csv = "\uFEFF\"a, b.jpg\",\"red, dark\",,\"say \"\"hi\"\"\"\n\n ,  , \nc.jpg, blue ,blue,,\n\"multi\nline.jpg\",green\n";
        var (result, lines) = Convert(csv);

        Assert.That(lines, Has.Count.EqualTo(3));
        Assert.That(lines[0].GetProperty("source-ref").GetString(), Is.EqualTo("s3://bucket/flowers/train/a, b.jpg"));
        Assert.That(lines[0].GetProperty("red, dark-metadata").GetProperty("class-name").GetString(), Is.EqualTo("red, dark"));
        Assert.That(lines[0].GetProperty("say \"hi\"-metadata").GetProperty("class-name").GetString(), Is.EqualTo("say \"hi\""));
        Assert.That(lines[1].EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "source-ref", "blue", "blue-metadata" }));
        Assert.That(lines[2].GetProperty("source-ref").GetString(), Is.EqualTo("s3://bucket/flowers/train/multi\nline.jpg"));
        Assert.That(result.Warnings, Has.Some.Contains("1 label(s) repeated within a row"));
    }

    [Test]
    public void Duplicates_stop_the_manifest_and_are_reported()
    {
        const string csv = "a.jpg,x\nb.jpg,y\na.jpg,z\nc.jpg,x\nb.jpg,y\n";
        var (result, lines) = Convert(csv);

        Assert.That(lines, Is.Empty);
        Assert.That(result.ManifestWritten, Is.False);
        Assert.That(result.Duplicates.Select(r => (r.RowNumber, r.Image)), Is.EqualTo(new[] { (3, "a.jpg"), (5, "b.jpg") }));
        Assert.That(result.DeduplicatedRows.Select(r => r.RowNumber), Is.EqualTo(new[] { 1, 2, 4 }));
        Assert.That(result.DeduplicatedRows[0].Fields, Is.EqualTo(new[] { "a.jpg", "x" }), "the first occurrence is kept");
        Assert.That(result.Warnings, Has.Some.Contains("no manifest was written"));

        var (forced, forcedLines) = Convert(csv, new CsvConversionOptions { ImagePrefix = "s3://bucket/", WriteManifestWhenDuplicates = true });
        Assert.That(forced.ManifestWritten, Is.True);
        Assert.That(forcedLines.Select(l => l.GetProperty("source-ref").GetString()), Is.EqualTo(new[] { "s3://bucket/a.jpg", "s3://bucket/b.jpg", "s3://bucket/c.jpg" }));
        Assert.That(forcedLines[0].TryGetProperty("x", out _), Is.True);
        Assert.That(forced.Duplicates, Has.Count.EqualTo(2));
    }

    [Test]
    public void Full_s3_paths_need_no_prefix_and_rows_without_labels_are_unlabelled()
    {
        var (result, lines) = Convert("s3://my-bucket/flowers/train/camellia1.jpg,camellia\ns3://my-bucket/flowers/train/x.jpg,,\n", new CsvConversionOptions());
        Assert.That(lines[0].GetProperty("source-ref").GetString(), Is.EqualTo("s3://my-bucket/flowers/train/camellia1.jpg"));
        Assert.That(lines[1].EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "source-ref" }));
        Assert.That(result.UnlabelledImages, Is.EqualTo(1));
        Assert.That(result.Warnings, Has.Some.Contains("rows 2"));
    }

    [Test]
    public void Local_folder_prefix_gives_file_uris()
    {
        var folder = ConversionTestData.Path("hymenoptera", "train", "ants");
        var (_, lines) = Convert("ant photos.jpg,ant\n", new CsvConversionOptions { ImagePrefix = folder });
        var sourceRef = lines[0].GetProperty("source-ref").GetString()!;
        Assert.That(sourceRef, Does.StartWith("file:///").And.Contain("ant%20photos.jpg"));
        Assert.That(File.Exists(new Uri(sourceRef).LocalPath), Is.True);
    }

    [TestCase("s3://b/a.jpg,x\nb.jpg,y\n", "row 2 ('b.jpg') is not an s3:// path but row 1 is")]
    [TestCase("a.jpg,x\ns3://b/b.jpg,y\n", "must not mix rows")]
    [TestCase("a.jpg,source-ref\n", "row 1, column 2: the label 'source-ref' cannot be used")]
    [TestCase("a.jpg,ok,dog-metadata\n", "row 1, column 3: the label 'dog-metadata'")]
    [TestCase(",dog\n", "row 1 has labels but no image")]
    [TestCase("", "has no rows")]
    [TestCase("\n \n", "has no rows")]
    [TestCase("a.jpg,\"dog\n", "row 1: a quoted field is never closed")]
    public void Bad_rows_are_rejected_with_the_row(string csv, string expected)
    {
        var error = Assert.Throws<InvalidParameterException>(() => Convert(csv));
        Assert.That(error!.Message, Does.Contain(expected).And.Contain("flowers.csv"));
    }

    [Test]
    public void File_names_without_a_prefix_are_rejected()
    {
        var error = Assert.Throws<InvalidParameterException>(() => Convert("a.jpg,x\n", new CsvConversionOptions()));
        Assert.That(error!.Message, Does.Contain("row 1").And.Contain("ImagePrefix"));
    }

    [Test]
    public void Too_long_labels_are_rejected()
    {
        var error = Assert.Throws<InvalidParameterException>(() => Convert("a.jpg," + new string('x', 257) + "\n"));
        Assert.That(error!.Message, Does.Contain("257 characters"));
    }

    [Test]
    public void ConvertFile_writes_review_files_only_when_images_repeat()
    {
        var directory = Directory.CreateTempSubdirectory("csv-convert-");
        try
        {
            var csv = Path.Combine(directory.FullName, "flowers.csv");
            File.WriteAllText(csv, "a.jpg,x\n\"b,1.jpg\",y\na.jpg,z\n");
            var converter = new CsvManifestConverter(new CsvConversionOptions { ImagePrefix = "s3://bucket/" });

            var result = converter.ConvertFile(csv);
            Assert.That(result.ManifestWritten, Is.False);
            Assert.That(File.Exists(Path.Combine(directory.FullName, "flowers.manifest")), Is.False);
            Assert.That(result.DuplicatesFile, Is.EqualTo(Path.Combine(directory.FullName, "flowers-duplicates.csv")));
            Assert.That(File.ReadAllText(result.DuplicatesFile!), Is.EqualTo("a.jpg,z\n"));
            Assert.That(File.ReadAllText(result.DeduplicatedFile!), Is.EqualTo("a.jpg,x\n\"b,1.jpg\",y\n"));

            // The reviewed file converts, and the stale review files are removed.
            File.Copy(result.DeduplicatedFile!, csv, overwrite: true);
            var second = converter.ConvertFile(csv);
            Assert.That(second.ManifestWritten, Is.True);
            var manifest = File.ReadAllBytes(Path.Combine(directory.FullName, "flowers.manifest"));
            Assert.That(ConversionTestData.Lines(manifest).Select(l => l.GetProperty("source-ref").GetString()), Is.EqualTo(new[] { "s3://bucket/a.jpg", "s3://bucket/b,1.jpg" }));
            Assert.That(File.Exists(result.DuplicatesFile!), Is.False);
            Assert.That(File.Exists(result.DeduplicatedFile!), Is.False);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
