using System.Text;
using System.Text.Json;
using Rekognition.Core.Conversion;
using Rekognition.Core.Model;

namespace Rekognition.Core.Tests.Conversion;

public class SageMakerMultiLabelConverterTests
{
    private const string JobLine = """{"source-ref":"s3://my-bucket/f/1.jpg","flowers-job":[0,2],"flowers-job-metadata":{"class-map":{"0":"jonquil","1":"camellia","2":"with_leaves"},"confidence-map":{"0":0.93,"2":0.88},"job-name":"labeling-job/flowers-job","human-annotated":"yes","creation-date":"2024-05-02T08:15:30.000","type":"groundtruth/image-classification-multilabel"}}""";

    private static (ManifestConversionResult Result, List<JsonElement> Lines) Convert(string input)
    {
        var output = new MemoryStream();
        var result = SageMakerMultiLabelConverter.Convert(new MemoryStream(Encoding.UTF8.GetBytes(input)), output, "output.manifest");
        return (result, ConversionTestData.Lines(output));
    }

    [Test]
    public void Each_label_id_becomes_a_numbered_attribute_pair()
    {
        var (result, lines) = Convert(JobLine + "\n");
        var line = lines.Single();

        Assert.That(line.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "source-ref", "flowers-job0", "flowers-job0-metadata", "flowers-job1", "flowers-job1-metadata" }));
        Assert.That(line.GetProperty("source-ref").GetString(), Is.EqualTo("s3://my-bucket/f/1.jpg"));
        Assert.That(line.GetProperty("flowers-job0").GetInt32(), Is.EqualTo(0));
        Assert.That(line.GetProperty("flowers-job1").GetInt32(), Is.EqualTo(1));
        var second = line.GetProperty("flowers-job1-metadata");
        Assert.That(second.GetProperty("class-name").GetString(), Is.EqualTo("with_leaves"));
        Assert.That(second.GetProperty("confidence").GetDouble(), Is.EqualTo(0.88));
        Assert.That(second.GetProperty("type").GetString(), Is.EqualTo("groundtruth/image-classification"));
        Assert.That(second.GetProperty("job-name").GetString(), Is.EqualTo("labeling-job/flowers-job"));
        Assert.That(second.GetProperty("human-annotated").GetString(), Is.EqualTo("yes"));
        Assert.That(second.GetProperty("creation-date").GetString(), Is.EqualTo("2024-05-02T08:15:30.000"), "copied unchanged");
        Assert.That(line.GetProperty("flowers-job0-metadata").GetProperty("class-name").GetString(), Is.EqualTo("jonquil"));
        Assert.That((result.Images, result.ImageLabels, result.Labels), Is.EqualTo((1, 2, 2)));
    }

    [Test]
    public void The_last_plain_key_is_the_job_and_empty_lists_give_unlabelled_lines()
    {
        const string input = """
            {"extra":[9],"source-ref":"s3://b/2.jpg","jobB":[],"jobB-metadata":{"class-map":{},"confidence-map":{},"human-annotated":"no","creation-date":"2024-01-01T00:00:00"}}

            {"source-ref":"s3://b/3.jpg","old-source-ref-copy":"x","jobB":[1],"jobB-metadata":{"class-map":{"1":"tulip"},"confidence-map":{"1":1},"human-annotated":"no","creation-date":"2024-01-01T00:00:00"}}
            """;
        var (result, lines) = Convert(input);
        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(lines[0].EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "source-ref" }));
        Assert.That(lines[1].GetProperty("jobB0-metadata").GetProperty("class-name").GetString(), Is.EqualTo("tulip"));
        Assert.That(lines[1].GetProperty("jobB0-metadata").GetProperty("human-annotated").GetString(), Is.EqualTo("no"));
        Assert.That(lines[1].GetProperty("jobB0-metadata").TryGetProperty("job-name", out _), Is.False);
        Assert.That(result.UnlabelledImages, Is.EqualTo(1));
    }

    [Test]
    public void Real_single_label_output_is_rejected_as_not_multi_label()
    {
        var path = ConversionTestData.Path("groundtruth", "misc", "aws-sagemaker-examples_featurestore_mixed_output.manifest");
        var error = Assert.Throws<InvalidParameterException>(() => SageMakerMultiLabelConverter.Convert(File.OpenRead(path), new MemoryStream(), Path.GetFileName(path)));
        Assert.That(error!.Message, Does.Contain("line 1").And.Contain("'species' is \"0\", not a list of label ids"));
    }

    [TestCase("{\"source-ref\":\"s3://b/1.jpg\",\"j\":[5],\"j-metadata\":{\"class-map\":{\"0\":\"a\"},\"confidence-map\":{\"5\":1},\"creation-date\":\"d\"}}", "label id 5 has no name in 'j-metadata' class-map")]
    [TestCase("{\"source-ref\":\"s3://b/1.jpg\",\"j\":[0],\"j-metadata\":{\"class-map\":{\"0\":\"a\"},\"confidence-map\":{},\"creation-date\":\"d\"}}", "confidence between 0 and 1")]
    [TestCase("{\"source-ref\":\"s3://b/1.jpg\",\"j\":[0],\"j-metadata\":{\"class-map\":{\"0\":\"a\"},\"confidence-map\":{\"0\":3},\"creation-date\":\"d\"}}", "confidence between 0 and 1")]
    [TestCase("{\"source-ref\":\"s3://b/1.jpg\",\"j\":[\"0\"],\"j-metadata\":{\"class-map\":{\"0\":\"a\"},\"confidence-map\":{\"0\":1},\"creation-date\":\"d\"}}", "label ids must be integers")]
    [TestCase("{\"source-ref\":\"s3://b/1.jpg\",\"j\":[0]}", "no 'j-metadata' object")]
    [TestCase("{\"source-ref\":\"s3://b/1.jpg\",\"j\":[0],\"j-metadata\":{\"confidence-map\":{}}}", "no 'class-map' object")]
    [TestCase("{\"source-ref\":\"s3://b/1.jpg\",\"j\":[0],\"j-metadata\":{\"class-map\":{\"0\":\"a\"},\"confidence-map\":{\"0\":1}}}", "no creation-date")]
    [TestCase("{\"source-ref\":\"s3://b/1.jpg\",\"j\":[0],\"j-metadata\":{\"class-map\":{\"0\":\"a\"},\"confidence-map\":{\"0\":1},\"creation-date\":\"d\",\"human-annotated\":\"maybe\"}}", "yes' or 'no'")]
    [TestCase("{\"source-ref\":\"s3://b/1.jpg\",\"j-metadata\":{}}", "no job attribute")]
    [TestCase("{\"j\":[0]}", "no 'source-ref'")]
    [TestCase("{not json", "is not valid JSON")]
    [TestCase("[1]", "not a JSON object")]
    public void Bad_lines_name_the_line_and_the_problem(string line, string expected)
    {
        var error = Assert.Throws<InvalidParameterException>(() => Convert(JobLine + "\n" + line + "\n"));
        Assert.That(error!.Message, Does.Contain("manifest 'output.manifest', line 2").And.Contain(expected));
    }

    [Test]
    public void Empty_input_is_rejected_and_files_get_the_reference_name()
    {
        Assert.That(Assert.Throws<InvalidParameterException>(() => Convert("\n\n"))!.Message, Does.Contain("is empty"));

        var directory = Directory.CreateTempSubdirectory("multilabel-");
        try
        {
            var input = Path.Combine(directory.FullName, "output.manifest");
            File.WriteAllText(input, JobLine + "\n");
            var result = SageMakerMultiLabelConverter.ConvertFile(input);
            var output = Path.Combine(directory.FullName, "custom_labels_output.manifest");
            Assert.That(SageMakerMultiLabelConverter.DefaultOutputPath(input), Is.EqualTo(output));
            Assert.That(ConversionTestData.Lines(File.ReadAllBytes(output)), Has.Count.EqualTo(1));
            Assert.That(result.ImageLabels, Is.EqualTo(2));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
