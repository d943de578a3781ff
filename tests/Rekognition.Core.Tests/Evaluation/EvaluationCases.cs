using Rekognition.Core.Evaluation;

namespace Rekognition.Core.Tests.Evaluation;

/// <summary>Small constructed test sets whose metrics are worked out by hand in the tests.</summary>
internal static class EvaluationCases
{
    /// <summary>Builds a classification image; predictions are (label, confidence) pairs.</summary>
    public static EvaluationImage Classified(string name, int[] groundTruth, params (int Label, float Confidence)[] predictions) => new()
    {
        SourceRef = $"s3://bucket/{name}.jpg",
        Width = 100,
        Height = 100,
        GroundTruthLabels = groundTruth,
        Predictions = Array.ConvertAll(predictions, p => new PredictedLabel(p.Label, p.Confidence)),
    };

    public static EvaluationInput Classification(string[] labels, params EvaluationImage[] images) =>
        new() { TaskType = EvaluationTaskType.ImageClassification, Labels = labels, Images = images };

    public static EvaluationInput Detection(string[] labels, params EvaluationImage[] images) =>
        new() { TaskType = EvaluationTaskType.ObjectDetection, Labels = labels, Images = images };

    public static PixelBox Box(float left, float top, float width, float height) => new(left, top, width, height);

    /// <summary>
    /// cat/dog, five images. Cat scores 0.9(+) 0.65(-) 0.4(+) 0.2(-) 0.05(-) with 2 positives;
    /// dog scores 0.9(+) 0.8(+) 0.6(-) 0.35(+) 0.1(-) with 3 positives.
    /// </summary>
    public static EvaluationInput CatsAndDogs() => Classification(
        ["cat", "dog"],
        Classified("img0", [0], (0, 0.9f), (1, 0.1f)),
        Classified("img1", [0], (0, 0.4f), (1, 0.6f)),
        Classified("img2", [1], (1, 0.8f), (0, 0.2f)),
        Classified("img3", [1], (1, 0.35f), (0, 0.65f)),
        Classified("img4", [1], (1, 0.9f), (0, 0.05f)));

    /// <summary>
    /// One 100×100 image, label "box": ground truth A (0,0,10,10), B (50,50,10,10), C (20,20,10,10, never predicted).
    /// Predictions: 0.9 exactly on A, 0.8 a duplicate on A (IoU 0.818), 0.6 on B with IoU exactly 0.5.
    /// </summary>
    public static EvaluationInput BoxesWithDuplicate() => Detection(
        ["box"],
        new EvaluationImage
        {
            SourceRef = "s3://bucket/boxes.jpg",
            Width = 100,
            Height = 100,
            GroundTruthObjects = [new(0, Box(0, 0, 10, 10)), new(0, Box(50, 50, 10, 10)), new(0, Box(20, 20, 10, 10))],
            Predictions = [new(0, 0.8f, Box(1, 0, 10, 10)), new(0, 0.9f, Box(0, 0, 10, 10)), new(0, 0.6f, Box(50, 50, 10, 5))],
        });
}
