using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Rekognition.Benchmarks.Inference;
using Rekognition.Core.Evaluation;
using Rekognition.Core.Images;
using Rekognition.Core.Models;
using Rekognition.Onnx.Detection;

namespace Rekognition.Benchmarks.Detection;

/// <summary>
/// The COCO YOLOX-Nano in shared/data, imported as a model package with its YOLOX postprocessing, run on the
/// 128 coco128 val2017 photos and evaluated with the library's evaluator: mAP@0.5 (the service's
/// AveragePrecision) and COCO mAP@[.5:.95], beside per-image latency. A timed run, not a micro-benchmark:
///   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- yolox-coco128
/// </summary>
internal static partial class YoloXCoco128Run
{
    public static int Run()
    {
        var coco = Path.Combine(InferenceData.Root, "coco128");
        var names = File.ReadLines(Path.Combine(coco, "dataset.yaml")).Select(l => NameLine().Match(l)).Where(m => m.Success)
            .OrderBy(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Select(m => m.Groups[2].Value.Trim()).ToList();
        var metadata = new ModelPackageMetadata
        {
            Kind = ModelKind.Detection,
            Labels = names,
            Input = new ModelInputSpec
            {
                Name = "images", Width = 416, Height = 416, Bgr = true, Resize = ResizeMode.Letterbox, LetterboxTopLeft = true, PadValue = 114,
                Scale = 1f, Mean = [0f, 0f, 0f], Std = [1f, 1f, 1f],
            },
            Output = new ModelOutputSpec { Format = OutputFormat.YoloX, Scores = "output" },
            // Evaluation sweeps every cut-off, so keep low-scoring boxes as COCO evaluation does.
            DefaultThreshold = 0.001f,
            MinCandidateScore = 0.001f,
            NmsIouThreshold = 0.65f,
            MaxDetections = 100,
        };
        var directory = Path.Combine(Path.GetTempPath(), "rekognition-yolox-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            ModelPackage.Write(directory, Path.Combine(InferenceData.Root, "models", "yolox_nano_coco_iinfer.onnx"), metadata);
            using var detector = OnnxDetector.Load(directory);
            var images = new List<EvaluationImage>();
            var clock = new Stopwatch();
            foreach (var file in Directory.GetFiles(Path.Combine(coco, "images", "val2017"), "*.jpg").Order(StringComparer.Ordinal))
            {
                var bytes = File.ReadAllBytes(file);
                var info = ImageHeaderProbe.Probe(bytes);
                clock.Start();
                var found = detector.Detect(bytes, minConfidence: 0);
                clock.Stop();
                var labels = Path.Combine(coco, "labels", "val2017", Path.GetFileNameWithoutExtension(file) + ".txt");
                var truth = File.Exists(labels)
                    ? File.ReadLines(labels).Where(l => l.Length > 0).Select(l =>
                    {
                        var v = l.Split(' ').Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                        return new GroundTruthObject((int)v[0], PixelBox.FromRatios(v[1] - v[3] / 2, v[2] - v[4] / 2, v[3], v[4], info.Width, info.Height));
                    }).ToArray()
                    : [];
                images.Add(new EvaluationImage
                {
                    SourceRef = file,
                    Width = info.Width,
                    Height = info.Height,
                    GroundTruthObjects = truth,
                    Predictions = found.Select(d => new PredictedLabel(names.IndexOf(d.Name), d.Confidence / 100f,
                        PixelBox.FromRatios(d.Box!.Value.Left, d.Box.Value.Top, d.Box.Value.Width, d.Box.Value.Height, info.Width, info.Height))).ToArray(),
                });
            }

            var evaluation = ModelEvaluator.Evaluate(new EvaluationInput { TaskType = EvaluationTaskType.ObjectDetection, Labels = names, Images = images });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"YOLOX-Nano on coco128 val2017 ({images.Count} images, {images.Sum(i => i.GroundTruthObjects.Length)} boxes, {evaluation.LabelResults.Count(l => l.HasGroundTruth)} classes present): " +
                $"mAP@0.5 {evaluation.Aggregate.AveragePrecision:0.000}, COCO mAP@[.5:.95] {evaluation.Aggregate.CocoMeanAveragePrecision:0.000}, " +
                $"{clock.Elapsed.TotalMilliseconds / images.Count:0.0} ms per image (decode, preprocess, run, decode boxes, NMS)"));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [GeneratedRegex(@"^\s+(\d+):\s*(.+)$")]
    private static partial Regex NameLine();
}
