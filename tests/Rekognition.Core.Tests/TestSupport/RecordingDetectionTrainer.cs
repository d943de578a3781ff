using Rekognition.Core.Models;
using Rekognition.Core.Training;

namespace Rekognition.Core.Tests.TestSupport;

/// <summary>
/// A trainer that only records the jobs it gets and writes a well-formed (not runnable) detection package,
/// for tests of what CreateProjectVersion hands a detection trainer. Use it with no runtime, so no evaluation runs.
/// </summary>
internal sealed class RecordingDetectionTrainer : IModelTrainer
{
    public List<TrainingJob> Jobs { get; } = new();

    public Task<ModelPackage> TrainAsync(TrainingJob job, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        Jobs.Add(job);
        Directory.CreateDirectory(job.OutputDirectory);
        var model = Path.Combine(job.OutputDirectory, "detector.onnx");
        File.WriteAllBytes(model, [0]);
        var metadata = new ModelPackageMetadata
        {
            Kind = job.Kind,
            Labels = job.Labels.ToList(),
            Output = new ModelOutputSpec { Format = OutputFormat.BoxesAndScores, Scores = "scores", Boxes = "boxes" },
        };
        return Task.FromResult(ModelPackage.Write(Path.Combine(job.OutputDirectory, "package"), model, metadata));
    }
}
