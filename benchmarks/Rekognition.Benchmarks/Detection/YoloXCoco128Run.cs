using System.Globalization;
using Rekognition.Benchmarks.Inference;
using Rekognition.Core.Evaluation;
using Rekognition.Core.Models;
using Rekognition.Onnx.Detection;

namespace Rekognition.Benchmarks.Detection;

/// <summary>
/// The COCO YOLOX-Nano in shared/data, imported as a model package with its YOLOX postprocessing, run on the
/// 128 coco128 val2017 photos (YOLO labels) and evaluated with the library's evaluator: the service's figures (mAP@0.5
/// is all-point AP at IoU 0.5) and the COCO-exact ones, beside per-image latency; then the COCO-exact figures on the
/// 128 train2017 photos against COCO's own annotations (crowd regions, segmentation areas), photos the model was
/// trained on. A timed run, not a micro-benchmark:
///   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- yolox-coco128
/// </summary>
internal static class YoloXCoco128Run
{
    public static int Run()
    {
        var coco = Path.Combine(InferenceData.Root, "coco128");
        var names = Coco128.Names(coco);
        var directory = Path.Combine(Path.GetTempPath(), "rekognition-yolox-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Package(directory, Path.Combine(InferenceData.Root, "models", "yolox_nano_coco_iinfer.onnx"), names);
            using var detector = OnnxDetector.Load(directory);
            var truths = Coco128.Images(coco, "val2017")
                .Select(file => new DetectionScoring.Truth(file, Coco128.Objects(coco, "val2017", file))).ToList();
            var (evaluation, perImage) = DetectionScoring.Evaluate(detector, names, truths);
            var images = truths;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"YOLOX-Nano on coco128 val2017 ({images.Count} images, {images.Sum(i => i.Objects.Length)} boxes from the YOLO labels: no crowd regions, box areas; " +
                $"{evaluation.LabelResults.Count(l => l.HasGroundTruth)} classes present): " +
                $"{perImage.TotalMilliseconds:0.0} ms per image (decode, preprocess, run, decode boxes, NMS)"));
            Console.WriteLine(DetectionScoring.Figures(evaluation));

            var annotated = Coco128.CocoAnnotatedTrainImages(coco, names);
            var (onTrain, _) = DetectionScoring.Evaluate(detector, names, annotated);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"YOLOX-Nano on coco128 train2017 against COCO's instances JSON ({annotated.Count} images, {annotated.Sum(i => i.Objects.Length)} boxes of which " +
                $"{annotated.Sum(i => i.Objects.Count(o => o.IsCrowd))} crowd regions, COCO areas; images from the model's training set):"));
            Console.WriteLine(DetectionScoring.Figures(onTrain));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Imports the YOLOX-Nano file as a package in <paramref name="directory"/>, with its YOLOX postprocessing and every low-scoring box kept, as COCO evaluation does.</summary>
    public static ModelPackage Package(string directory, string model, IReadOnlyList<string> names)
    {
        var metadata = new ModelPackageMetadata
        {
            Kind = ModelKind.Detection,
            Labels = names.ToList(),
            Input = new ModelInputSpec
            {
                Name = "images", Width = 416, Height = 416, Bgr = true, Resize = ResizeMode.Letterbox, LetterboxTopLeft = true, PadValue = 114,
                Scale = 1f, Mean = [0f, 0f, 0f], Std = [1f, 1f, 1f],
            },
            Output = new ModelOutputSpec { Format = OutputFormat.YoloX, Scores = "output" },
            DefaultThreshold = 0.001f,
            MinCandidateScore = 0.001f,
            NmsIouThreshold = 0.65f,
            MaxDetections = 100,
        };
        ModelPackage.Write(directory, model, metadata);
        return ModelPackage.Load(directory);
    }
}
