using System.Text;
using Rekognition.Core.Conversion;
using Rekognition.Core.Evaluation;
using Rekognition.Core.Manifests;
using Rekognition.Core.Model;
using Rekognition.Core.Tests.Conversion;
using Rekognition.Core.Tests.Validation;
using Rekognition.Core.Training;
using Rekognition.Core.Validation;

namespace Rekognition.Core.Tests.Evaluation;

/// <summary>COCO's <c>iscrowd</c> and <c>area</c> go from the COCO file through the manifest to the COCO-exact evaluator.</summary>
public class CocoCrowdFromConverterTests
{
    // One 400x300 image: a person box (area 1500 from its segmentation) and a crowd region of people.
    private const string CocoJson = """
        {"images":[{"id":7,"width":400,"height":300,"file_name":"street.jpg","date_captured":"2020-05-01 10:00:00"}],
         "categories":[{"id":1,"name":"person"}],
         "annotations":[
           {"id":1,"image_id":7,"category_id":1,"bbox":[10,20,40,50],"area":1500,"iscrowd":0},
           {"id":2,"image_id":7,"category_id":1,"bbox":[100,100,200,100],"area":12000.5,"iscrowd":1}]}
        """;

    private static List<BoundingBoxAnnotation> Convert(string coco, out string manifestText)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(coco));
        using var output = new MemoryStream();
        new CocoManifestConverter(new CocoConversionOptions { ImagePrefix = "s3://bucket/images/" }).Convert(input, output, "street.json");
        manifestText = Encoding.UTF8.GetString(output.ToArray());

        var boxes = new List<BoundingBoxAnnotation>();
        var parser = new GroundTruthLineParser();
        foreach (string line in manifestText.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            GroundTruthLine parsed = parser.Parse(Encoding.UTF8.GetBytes(line), out string? problem) ?? throw new AssertionException(problem ?? "unparsable line");
            boxes.AddRange(parsed.AttributeAt(0).Annotations);
        }

        return boxes;
    }

    [Test]
    public void CrowdFlagAndAreaReachTheEvaluator()
    {
        List<BoundingBoxAnnotation> boxes = Convert(CocoJson, out string manifest);

        // The manifest carries them as extra annotation fields, the crowd flag only where set.
        Assert.That(manifest, Does.Contain("\"height\":50,\"area\":1500}"));
        Assert.That(manifest, Does.Contain("\"height\":100,\"iscrowd\":1,\"area\":12000.5}"));
        Assert.That(boxes.Select(b => (b.IsCrowd, b.Area)), Is.EqualTo(new[] { (false, (double?)1500), (true, (double?)12000.5) }));

        GroundTruthObject[] truth = boxes.Select(b => GroundTruthObject.FromAnnotation(b, 0)).ToArray();
        Assert.That(truth[1], Is.EqualTo(new GroundTruthObject(0, new PixelBox(100, 100, 200, 100), IsCrowd: true, Area: 12000.5)));

        // The person found exactly; two detections inside the crowd region. The crowd absorbs both (ignored), so
        // COCO-exact AP is 1; treated as an ordinary box it would make them false positives (AP 51/101, see
        // CocoExactMetricsTests). The person's COCO area 1500 is medium (its box is 2000, also medium), so APm 1, APs -1.
        var input = new EvaluationInput
        {
            TaskType = EvaluationTaskType.ObjectDetection,
            Labels = ["person"],
            Images =
            [
                new EvaluationImage
                {
                    SourceRef = "s3://bucket/images/street.jpg",
                    Width = 400,
                    Height = 300,
                    GroundTruthObjects = truth,
                    Predictions = [new(0, 0.9f, new PixelBox(10, 20, 40, 50)), new(0, 0.8f, new PixelBox(120, 110, 30, 60)), new(0, 0.7f, new PixelBox(200, 150, 40, 40))],
                },
            ],
        };
        CocoEvaluation coco = ModelEvaluator.Evaluate(input).Coco!;
        Assert.That(coco.AveragePrecision, Is.EqualTo(1.0).Within(1e-12));
        Assert.That((coco.AveragePrecisionSmall, coco.AveragePrecisionMedium, coco.AveragePrecisionLarge), Is.EqualTo((-1.0, 1.0, -1.0)).Within(1e-12));

        CocoEvaluation withoutFlag = ModelEvaluator.Evaluate(new EvaluationInput
        {
            TaskType = input.TaskType,
            Labels = input.Labels,
            Images = [new EvaluationImage { SourceRef = "x", GroundTruthObjects = [.. truth.Select(t => t with { IsCrowd = false })], Predictions = input.Images[0].Predictions }],
        }).Coco!;
        Assert.That(withoutFlag.AveragePrecision, Is.LessThan(0.6), "the flag is what makes the difference");
    }

    [Test]
    public void CrowdFlagAndAreaReachTheTestImagesATrainedModelIsEvaluatedOn()
    {
        // The service's path: manifest → validation → test images → ModelTester's GroundTruthObjects.
        using var fx = new ValidatorFixture();
        fx.PutImage("street.jpg", [0xFF, 0xD8, 0xFF, 0xD9]);
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(CocoJson));
        using var manifest = new MemoryStream();
        new CocoManifestConverter(new CocoConversionOptions { ImagePrefix = "s3://bucket/" }).Convert(input, manifest, "street.json");

        var reader = new TrainingExampleReader(fx.Limits, fx.Resolver);
        TrainingExamples examples = reader.Read(new MemoryStream(manifest.ToArray()), new MemoryStream(manifest.ToArray()), ManifestUseCase.ObjectLocalization, CancellationToken.None);

        TrainingBox[] boxes = [.. examples.Test.Single().Image.Boxes];
        Assert.That(boxes.Select(b => b.IsCrowd), Is.EqualTo(new[] { false, true }));

        // COCO's area as a share of the 400x300 image, so that ModelTester scales it to the decoded image's pixels.
        Assert.That(boxes.Select(b => b.AreaFraction), Is.EqualTo(new double?[] { 1500.0 / 120000, 12000.5 / 120000 }).Within(1e-15));
    }

    [Test]
    public void NegativeCocoAreaIsRefusedWithTheElementNamed()
    {
        string coco = CocoJson.Replace("\"area\":1500", "\"area\":-3", StringComparison.Ordinal);
        var error = Assert.Throws<InvalidParameterException>(() => Convert(coco, out _));
        Assert.That(error!.Message, Does.Contain("annotations[0] (id 1)").And.Contain("area = -3"));
    }

    [Test]
    public void Coco128CrowdRegionsSurviveConversion()
    {
        // instances_train2017.json of COCO128 has 10 crowd annotations among 939 (the converter's warning says so).
        using var input = File.OpenRead(ConversionTestData.Path("coco128", "annotations", "instances_train2017.json"));
        using var reader = new StreamReader(input);
        List<BoundingBoxAnnotation> boxes = Convert(reader.ReadToEnd(), out _);

        Assert.That(boxes, Has.Count.EqualTo(939));
        Assert.That(boxes.Count(b => b.IsCrowd), Is.EqualTo(10));
        Assert.That(boxes.All(b => b.Area is > 0), Is.True, "every COCO annotation has its area");
    }
}
