using Rekognition.Core.Models;

namespace Rekognition.Benchmarks.Inference;

/// <summary>
/// The shared MobileNetV2 (ImageNet, int8) and a hymenoptera photo, found by walking up from the benchmark's
/// folder to the one that holds shared/data (or REKOGNITION_SHARED_DATA); nothing is copied into the repository.
/// </summary>
internal static class InferenceData
{
    public static string Root { get; } = FindRoot();

    public static string MobileNetV2 => Path.Combine(Root, "models", "mobilenetv2-12-int8.onnx");

    /// <summary>An ant photo (500x333 JPEG) from the hymenoptera validation set.</summary>
    public static byte[] AntPhoto() =>
        File.ReadAllBytes(Directory.GetFiles(Path.Combine(Root, "hymenoptera", "val", "ants"), "*.jpg").Order(StringComparer.Ordinal).First());

    /// <summary>ImageNet's labels, the two repeated names made distinct.</summary>
    public static ModelPackageMetadata MobileNetMetadata()
    {
        var names = File.ReadAllLines(Path.Combine(Root, "models", "imagenet_classes.txt")).Where(l => l.Length > 0).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (!seen.Add(names[i]))
            {
                names[i] = $"{names[i]} ({i})";
            }
        }

        return new ModelPackageMetadata
        {
            Kind = ModelKind.MultiClass,
            Labels = names,
            Input = new ModelInputSpec { Name = "input", Width = 224, Height = 224 },
            Output = new ModelOutputSpec { Format = OutputFormat.Logits, Scores = "output" },
            DefaultThreshold = 0.05f,
        };
    }

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("REKOGNITION_SHARED_DATA") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "data");
            if (File.Exists(Path.Combine(candidate, "models", "mobilenetv2-12-int8.onnx")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/data was not found above the benchmark's folder; set REKOGNITION_SHARED_DATA.");
    }
}
