using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Onnx.Ir;

namespace Rekognition.Training.Tests;

/// <summary>An <see cref="IProgress{T}"/> that reports on the trainer's own thread, so a test sees every report in order.</summary>
internal sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => report(value);
}

/// <summary>A trained package's float initializers by name, to compare two trainings.</summary>
internal static class PackageWeights
{
    public static Dictionary<string, float[]> Read(ModelPackage package) =>
        OnnxModelFile.Read(package.ModelPath).Graph.Initializer.Where(t => t.DataType == 1)
            .ToDictionary(t => t.Name, t => Graphs.OnnxTensors.ToFloats(t), StringComparer.Ordinal);
}
