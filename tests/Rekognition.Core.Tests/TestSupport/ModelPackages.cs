using System.Text.Json;

namespace Rekognition.Core.Tests.TestSupport;

/// <summary>Model packages for tests: the real MNIST ONNX model with metadata written beside it.</summary>
internal static class ModelPackages
{
    /// <summary>Writes a package folder (a copy of the MNIST model and a model.json) and returns the ONNX path.</summary>
    public static string WriteMnist(string folder, Action<Dictionary<string, object?>>? edit = null)
    {
        Directory.CreateDirectory(folder);
        var model = Path.Combine(folder, "model.onnx");
        File.Copy(SharedData.PathOf("models/mnist-8_statefulcnn.onnx"), model, overwrite: true);
        var metadata = new Dictionary<string, object?>
        {
            ["formatVersion"] = 1,
            ["kind"] = "MultiClass",
            ["labels"] = Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            ["input"] = new Dictionary<string, object> { ["name"] = "Input3", ["width"] = 28, ["height"] = 28, ["scale"] = 1.0, ["mean"] = new[] { 0, 0, 0 }, ["std"] = new[] { 1, 1, 1 } },
            ["output"] = new Dictionary<string, object> { ["format"] = "Logits", ["scores"] = "Plus214_Output_0" },
            ["assumedThresholds"] = new Dictionary<string, float> { ["7"] = 0.8f },
        };
        edit?.Invoke(metadata);
        File.WriteAllText(Path.Combine(folder, "model.json"), JsonSerializer.Serialize(metadata));
        return model;
    }
}
