using Rekognition.Core.Models;

namespace Rekognition.Onnx.Tests.Support;

/// <summary>The shared data sets and models, reached from the test folder (never copied into the repository).</summary>
internal static class TestData
{
    public static string Root => Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "../../../../../../shared/data"));

    public static string Models => Path.Combine(Root, "models");

    public static string MobileNetV2 => Path.Combine(Models, "mobilenetv2-12-int8.onnx");

    public static string Hymenoptera => Path.Combine(Root, "hymenoptera", "val");

    /// <summary>ImageNet's 1000 class names; the two names ImageNet repeats get their index appended, since labels must be distinct.</summary>
    public static List<string> ImageNetLabels()
    {
        var names = File.ReadAllLines(Path.Combine(Models, "imagenet_classes.txt")).Where(l => l.Length > 0).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (!seen.Add(names[i]))
            {
                names[i] = $"{names[i]} ({i})";
            }
        }

        return names;
    }

    /// <summary>The metadata of the ImageNet MobileNetV2 (logits, ImageNet normalization, stretched to 224).</summary>
    public static ModelPackageMetadata MobileNetMetadata() => new()
    {
        Kind = ModelKind.MultiClass,
        Labels = ImageNetLabels(),
        Input = new ModelInputSpec { Name = "input", Width = 224, Height = 224 },
        Output = new ModelOutputSpec { Format = OutputFormat.Logits, Scores = "output" },
        DefaultThreshold = 0.05f,
    };

    /// <summary>A package folder with the MobileNetV2 and its metadata, under <paramref name="root"/>.</summary>
    public static string MobileNetPackage(string root)
    {
        var directory = Path.Combine(root, "mobilenet-" + Guid.NewGuid().ToString("N")[..8]);
        ModelPackage.Write(directory, MobileNetV2, MobileNetMetadata());
        return directory;
    }
}
