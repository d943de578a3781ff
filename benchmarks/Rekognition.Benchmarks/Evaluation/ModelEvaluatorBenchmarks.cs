using BenchmarkDotNet.Attributes;
using Rekognition.Core.Evaluation;

namespace Rekognition.Benchmarks.Evaluation;

/// <summary>
/// Evaluation of a detector on 10,000 test images with 20 ground-truth boxes and about 22 predictions each over
/// 20 labels: matching at ten IoU levels, thresholds, per-label metrics, and the COCO-exact metrics (also timed alone).
/// Target: at most 1 s for the whole evaluation.
/// </summary>
[MemoryDiagnoser]
public class ModelEvaluatorBenchmarks
{
    private EvaluationInput _input = null!;

    [Params(10_000)]
    public int Images { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        string[] labels = Enumerable.Range(0, 20).Select(i => $"label{i}").ToArray();
        var images = new EvaluationImage[Images];
        for (int i = 0; i < Images; i++)
        {
            var truth = new GroundTruthObject[20];
            var predictions = new List<PredictedLabel>(24);
            for (int k = 0; k < truth.Length; k++)
            {
                var box = new PixelBox(random.Next(0, 900), random.Next(0, 600), random.Next(20, 120), random.Next(20, 120));
                truth[k] = new GroundTruthObject(random.Next(labels.Length), box);
                if (random.NextDouble() < 0.9)
                {
                    float jitter = (float)(random.NextDouble() * 10);
                    predictions.Add(new PredictedLabel(truth[k].LabelIndex, (float)random.NextDouble(), box with { Left = box.Left + jitter, Top = box.Top - jitter }));
                }
            }

            for (int k = 0; k < 4; k++)
            {
                predictions.Add(new PredictedLabel(random.Next(labels.Length), (float)random.NextDouble(), new PixelBox(random.Next(0, 900), random.Next(0, 600), 50, 50)));
            }

            images[i] = new EvaluationImage
            {
                SourceRef = $"s3://bench/{i}.jpg",
                Width = 1024,
                Height = 768,
                GroundTruthObjects = truth,
                Predictions = [.. predictions],
            };
        }

        _input = new EvaluationInput { TaskType = EvaluationTaskType.ObjectDetection, Labels = labels, Images = images };
    }

    [Benchmark]
    public double EvaluateDetection() => ModelEvaluator.Evaluate(_input).Aggregate.F1Score;

    [Benchmark]
    public double CocoExactOnly() => CocoEvaluator.Evaluate(_input).AveragePrecision;
}
