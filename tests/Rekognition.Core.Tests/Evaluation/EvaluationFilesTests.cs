using System.Text;
using System.Text.Json;
using Rekognition.Core.Evaluation;
using Rekognition.Core.Model;
using static Rekognition.Core.Tests.Evaluation.EvaluationCases;

namespace Rekognition.Core.Tests.Evaluation;

public class EvaluationFilesTests
{
    private static readonly DateTime EndTime = new DateTime(2024, 2, 10, 14, 3, 11, DateTimeKind.Unspecified).AddTicks(4021180);

    private static async Task<JsonElement> WriteSummary(ModelEvaluation evaluation)
    {
        using var stream = new MemoryStream();
        await EvaluationSummaryWriter.WriteAsync(stream, evaluation, new EvaluationSummaryDetails
        {
            ProjectVersionArn = "arn:aws:rekognition:local-1:000000000000:project/pets/version/pets.v1/1700000300000",
            EvaluationEndTimestamp = EndTime,
            NumberOfTrainingImages = 40,
        });
        return JsonDocument.Parse(stream.ToArray()).RootElement.Clone();
    }

    [Test]
    public async Task ClassificationSummaryHasTheServiceShape()
    {
        JsonElement root = await WriteSummary(ModelEvaluator.Evaluate(CatsAndDogs()));

        Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
        {
            "Version", "EvaluationDetails", "AggregatedEvaluationResults", "LabelEvaluationResults",
        }), "no COCO-exact section for classification");
        Assert.That(root.GetProperty("Version").GetInt32(), Is.EqualTo(1));

        JsonElement details = root.GetProperty("EvaluationDetails");
        Assert.That(details.GetProperty("EvaluationEndTimestamp").GetString(), Is.EqualTo("2024-02-10T14:03:11.402118"));
        Assert.That(details.GetProperty("Labels").EnumerateArray().Select(l => l.GetString()), Is.EqualTo(new[] { "cat", "dog" }));
        Assert.That(details.GetProperty("NumberOfTrainingImages").GetInt32(), Is.EqualTo(40));
        Assert.That(details.GetProperty("NumberOfTestingImages").GetInt32(), Is.EqualTo(5));
        Assert.That(details.GetProperty("ProjectVersionArn").GetString(), Does.EndWith("pets.v1/1700000300000"));

        JsonElement metrics = root.GetProperty("AggregatedEvaluationResults").GetProperty("Metrics");
        Assert.That(metrics.GetProperty("F1Score").GetDouble(), Is.EqualTo((0.8 + (6.0 / 7)) / 2).Within(1e-12));
        Assert.That(metrics.TryGetProperty("AveragePrecision", out _), Is.False, "detection only");
        Assert.That(metrics.GetProperty("ConfusionMatrix").GetArrayLength(), Is.EqualTo(4));
        Assert.That(metrics.GetProperty("ConfusionMatrix")[0].EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "GroundTruthLabel", "PredictedLabel", "Value" }));

        // Best F1 first: dog (6/7) before cat (0.8); the threshold is written as its decimal value.
        JsonElement labels = root.GetProperty("LabelEvaluationResults");
        Assert.That(labels.EnumerateArray().Select(l => l.GetProperty("Label").GetString()), Is.EqualTo(new[] { "dog", "cat" }));
        Assert.That(labels[1].GetProperty("NumberOfTestingImages").GetInt32(), Is.EqualTo(2));
        Assert.That(labels[1].GetProperty("Metrics").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "Threshold", "Precision", "Recall", "F1Score" }));
        Assert.That(labels[1].GetProperty("Metrics").GetProperty("Threshold").GetRawText(), Is.EqualTo("0.3"));
    }

    [Test]
    public async Task DetectionSummaryHasMapAndMarButNoConfusionMatrix()
    {
        JsonElement metrics = (await WriteSummary(ModelEvaluator.Evaluate(BoxesWithDuplicate())))
            .GetProperty("AggregatedEvaluationResults").GetProperty("Metrics");

        Assert.That(metrics.GetProperty("AveragePrecision").GetDouble(), Is.EqualTo(5.0 / 9).Within(1e-12));
        Assert.That(metrics.GetProperty("AverageRecall").GetDouble(), Is.EqualTo(2.0 / 3).Within(1e-12));
        Assert.That(metrics.TryGetProperty("ConfusionMatrix", out _), Is.False);
    }

    [Test]
    public async Task DetectionSummaryAddsCocoExactSectionAfterTheServiceSections()
    {
        ModelEvaluation evaluation = ModelEvaluator.Evaluate(BoxesWithDuplicate());
        JsonElement root = await WriteSummary(evaluation);

        // The service's sections first and unchanged; the extra section last, saying what it is.
        Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
        {
            "Version", "EvaluationDetails", "AggregatedEvaluationResults", "LabelEvaluationResults", "CocoExactEvaluationResults",
        }));
        JsonElement coco = root.GetProperty("CocoExactEvaluationResults");
        Assert.That(coco.GetProperty("Description").GetString(), Does.Contain("Not written by Amazon Rekognition Custom Labels").And.Contain("pycocotools"));
        Assert.That(coco.EnumerateObject().Skip(1).Select(p => p.Name), Is.EqualTo(new[]
        {
            "AP", "AP50", "AP75", "APsmall", "APmedium", "APlarge", "AR1", "AR10", "AR100", "ARsmall", "ARmedium", "ARlarge",
        }));

        // Values as CocoExactMetricsTests works them out for this input: AP50 56/101, AP (56 + 9·34)/1010; all boxes are small.
        Assert.That(coco.GetProperty("AP50").GetDouble(), Is.EqualTo(56.0 / 101).Within(1e-12));
        Assert.That(coco.GetProperty("AP").GetDouble(), Is.EqualTo(evaluation.Coco!.AveragePrecision));
        Assert.That(coco.GetProperty("APsmall").GetDouble(), Is.EqualTo(evaluation.Coco.AveragePrecision));
        Assert.That(coco.GetProperty("APmedium").GetDouble(), Is.EqualTo(-1));
        Assert.That(root.GetProperty("AggregatedEvaluationResults").GetProperty("Metrics").GetProperty("AveragePrecision").GetDouble(), Is.EqualTo(5.0 / 9).Within(1e-12));
    }

    [Test]
    public void SummaryFileNameFollowsTheService()
    {
        Assert.That(EvaluationSummaryWriter.FileName("pcb-parts", "pcb-parts.v3"), Is.EqualTo("EvaluationSummary-pcb-parts-pcb-parts.v3.json"));
    }

    [Test]
    public void EvaluationResultCarriesF1AndSummaryLocation()
    {
        var location = new S3Object { Bucket = "ml-artifacts", Name = "pets/v1/EvaluationSummary-pets-pets.v1.json" };
        EvaluationResult result = ModelEvaluator.Evaluate(CatsAndDogs()).ToEvaluationResult(location);

        Assert.That(result.F1Score, Is.EqualTo((float)((0.8 + (6.0 / 7)) / 2)));
        Assert.That(result.Summary!.S3Object, Is.SameAs(location));
    }

    private static JsonElement[] WriteSnapshot(ModelEvaluation evaluation)
    {
        using var stream = new MemoryStream();
        EvaluationSnapshotWriter.Write(stream, evaluation, EndTime);
        string[] lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
    }

    [Test]
    public void ClassificationSnapshotRenamesGroundTruthAndMarksEachResult()
    {
        const string line = """{"source-ref":"s3://bucket/img1.jpg","pets":0,"pets-metadata":{"confidence":1,"job-name":"labeling-job/pets","class-name":"cat","human-annotated":"yes","creation-date":"2024-01-01T00:00:00","type":"groundtruth/image-classification"}}""";
        EvaluationInput source = CatsAndDogs();
        EvaluationImage original = source.Images[1];
        EvaluationInput input = Classification(["cat", "dog"], new EvaluationImage
        {
            SourceRef = original.SourceRef,
            GroundTruthLabels = original.GroundTruthLabels,
            Predictions = original.Predictions,
            GroundTruthManifestLine = line,
        });

        // Thresholds must come from the full test set, so evaluate it all and check image 1's line.
        JsonElement[] all = WriteSnapshot(ModelEvaluator.Evaluate(source));
        Assert.That(all, Has.Length.EqualTo(5));
        Assert.That(all[1].TryGetProperty("rekognition-custom-labels-training-0", out _), Is.False, "no manifest line was given");

        JsonElement row = WriteSnapshot(ModelEvaluator.Evaluate(input))[0];
        Assert.That(row.GetProperty("source-ref").GetString(), Is.EqualTo("s3://bucket/img1.jpg"));
        Assert.That(row.TryGetProperty("pets", out _), Is.False);
        Assert.That(row.GetProperty("rekognition-custom-labels-training-0").GetInt32(), Is.EqualTo(0));
        JsonElement training = row.GetProperty("rekognition-custom-labels-training-0-metadata");
        Assert.That(training.GetProperty("job-name").GetString(), Is.EqualTo("rekognition-custom-labels-training-job"));
        Assert.That(training.GetProperty("class-name").GetString(), Is.EqualTo("cat"));

        // On this image alone dog has no positive, so its threshold falls back to 0.5 and dog 0.6 is a false positive;
        // cat's threshold is 0.4 and cat 0.4 is a true positive.
        JsonElement first = row.GetProperty("rekognition-custom-labels-evaluation-0-metadata");
        Assert.That(row.GetProperty("rekognition-custom-labels-evaluation-0").GetInt32(), Is.EqualTo(1));
        Assert.That(first.GetProperty("class-name").GetString(), Is.EqualTo("dog"));
        Assert.That(first.GetProperty("confidence").GetRawText(), Is.EqualTo("0.6"));
        Assert.That(first.GetProperty("job-name").GetString(), Is.EqualTo("rekognition-custom-labels-evaluation-job"));
        Assert.That(first.GetProperty("human-annotated").GetString(), Is.EqualTo("no"));
        Assert.That(first.GetProperty("creation-date").GetString(), Is.EqualTo("2024-02-10T14:03:11.402118"));
        JsonElement flags = first.GetProperty("rekognition-custom-labels-evaluation-details");
        Assert.That(flags.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
        {
            "version", "ground-truth-labelling-jobs", "is-true-positive", "is-true-negative", "is-false-positive", "is-false-negative", "is-present-in-ground-truth",
        }));
        Assert.That(flags.GetProperty("is-false-positive").GetBoolean(), Is.True);
        Assert.That(flags.GetProperty("is-present-in-ground-truth").GetBoolean(), Is.False);

        JsonElement second = row.GetProperty("rekognition-custom-labels-evaluation-1-metadata").GetProperty("rekognition-custom-labels-evaluation-details");
        Assert.That(second.GetProperty("is-true-positive").GetBoolean(), Is.True);
        Assert.That(row.TryGetProperty("rekognition-custom-labels-evaluation-2", out _), Is.False);
    }

    [Test]
    public void DetectionSnapshotListsPredictedAndMissedBoxes()
    {
        const string line = """{"source-ref":"s3://bucket/boxes.jpg","bb":{"annotations":[{"class_id":0,"left":0,"top":0,"width":10,"height":10},{"class_id":0,"left":50,"top":50,"width":10,"height":10},{"class_id":0,"left":20,"top":20,"width":10,"height":10}],"image_size":[{"width":100,"height":100,"depth":3}]},"bb-metadata":{"job-name":"boxes","class-map":{"0":"box"},"human-annotated":"no","objects":[{"confidence":1},{"confidence":1},{"confidence":1}],"creation-date":"2024-01-01T00:00:00","type":"groundtruth/object-detection"}}""";
        EvaluationImage image = BoxesWithDuplicate().Images[0];
        EvaluationInput input = Detection(["box"], new EvaluationImage
        {
            SourceRef = image.SourceRef,
            Width = 100,
            Height = 100,
            GroundTruthObjects = image.GroundTruthObjects,
            Predictions = image.Predictions,
            GroundTruthManifestLine = line,
        });

        JsonElement row = WriteSnapshot(ModelEvaluator.Evaluate(input))[0];

        Assert.That(row.GetProperty("rekognition-custom-labels-training-0").GetProperty("annotations").GetArrayLength(), Is.EqualTo(3));
        Assert.That(row.GetProperty("rekognition-custom-labels-training-0-metadata").GetProperty("human-annotated").GetString(), Is.EqualTo("yes"));

        JsonElement evaluation = row.GetProperty("rekognition-custom-labels-evaluation");
        Assert.That(evaluation.GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("left").GetInt32()), Is.EqualTo(new[] { 0, 1, 50, 20 }));
        Assert.That(evaluation.GetProperty("image_size")[0].GetProperty("width").GetInt32(), Is.EqualTo(100));

        JsonElement metadata = row.GetProperty("rekognition-custom-labels-evaluation-metadata");
        Assert.That(metadata.GetProperty("type").GetString(), Is.EqualTo("groundtruth/object-detection"));
        Assert.That(metadata.GetProperty("class-map").GetProperty("0").GetString(), Is.EqualTo("box"));
        Assert.That(metadata.GetProperty("confidence").GetRawText(), Is.EqualTo("0.9"));
        string[] outcomes = metadata.GetProperty("objects").EnumerateArray().Select(o =>
        {
            JsonElement d = o.GetProperty("rekognition-custom-labels-evaluation-details");
            return d.GetProperty("is-true-positive").GetBoolean() ? "TP"
                : d.GetProperty("is-false-positive").GetBoolean() ? "FP"
                : d.GetProperty("is-false-negative").GetBoolean() ? "FN" : "TN";
        }).ToArray();
        Assert.That(outcomes, Is.EqualTo(new[] { "TP", "FP", "TP", "FN" }));
    }
}
