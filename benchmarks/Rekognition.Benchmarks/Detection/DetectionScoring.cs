using System.Diagnostics;
using System.Globalization;
using Rekognition.Core.Evaluation;
using Rekognition.Core.Images;
using Rekognition.Onnx.Detection;

namespace Rekognition.Benchmarks.Detection;

/// <summary>Runs a detector over images with known boxes and evaluates it with the library's evaluator (the service's mAP@0.5 and the COCO-exact figures), timing each Detect call.</summary>
internal static class DetectionScoring
{
    /// <summary>An image and its true objects (label index, box in image pixels).</summary>
    public sealed record Truth(string Path, GroundTruthObject[] Objects);

    public static (ModelEvaluation Evaluation, TimeSpan PerImage) Evaluate(IDetector detector, IReadOnlyList<string> labels, IEnumerable<Truth> truths)
    {
        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var images = new List<EvaluationImage>();
        var clock = new Stopwatch();
        foreach (var truth in truths)
        {
            var bytes = File.ReadAllBytes(truth.Path);
            var info = ImageHeaderProbe.Probe(bytes);
            clock.Start();
            var found = detector.Detect(bytes, minConfidence: 0);
            clock.Stop();
            images.Add(new EvaluationImage
            {
                SourceRef = truth.Path,
                Width = info.Width,
                Height = info.Height,
                GroundTruthObjects = truth.Objects,
                // A detector with more classes than the evaluated labels (YOLOX-Nano on a label subset) is scored on those labels only.
                Predictions = found.Where(d => index.ContainsKey(d.Name)).Select(d => new PredictedLabel(index[d.Name], d.Confidence / 100f,
                    PixelBox.FromRatios(d.Box!.Value.Left, d.Box.Value.Top, d.Box.Value.Width, d.Box.Value.Height, info.Width, info.Height))).ToArray(),
            });
        }

        var evaluation = ModelEvaluator.Evaluate(new EvaluationInput { TaskType = EvaluationTaskType.ObjectDetection, Labels = labels, Images = images });
        return (evaluation, images.Count == 0 ? TimeSpan.Zero : clock.Elapsed / images.Count);
    }

    /// <summary>
    /// The service's figures and the COCO-exact ones, each named as what it is: the service's mAP@0.5 is all-point AP at
    /// IoU 0.5 and is not comparable with published COCO numbers; the COCO-exact line follows pycocotools' COCOeval.
    /// </summary>
    public static string Figures(ModelEvaluation evaluation)
    {
        var service = evaluation.Aggregate;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"  service's figures: mAP@0.5 {service.AveragePrecision:0.000} (all-point AP at IoU 0.5), mAR@0.5 {service.AverageRecall:0.000}, " +
            $"mAP@[.5:.95] on the service's matching {service.CocoMeanAveragePrecision:0.000} (not COCO-exact)");
        if (evaluation.Coco is { } coco)
        {
            text += Environment.NewLine + "  COCO-exact (pycocotools COCOeval rules):" +
                string.Concat(coco.Stats.Select((value, i) => string.Create(CultureInfo.InvariantCulture, $" {CocoEvaluation.StatNames[i]} {value:0.000}")));
        }

        return text;
    }
}
