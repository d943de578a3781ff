using System.Text.Json;
using Rekognition.Core.Images;
using Rekognition.Core.Inference;
using Rekognition.Core.Models;
using Rekognition.Core.Training;

namespace FeedbackLoop;

// A deliberately tiny learner so the sample runs anywhere in seconds: it learns each label's mean aspect ratio
// (read from the image header) and scores images by closeness to it. With Rekognition.Training and
// Rekognition.Onnx registered instead (AddRekognitionTraining, AddRekognitionOnnx), the loop is the same.

/// <summary>Learns each label's mean log aspect ratio.</summary>
internal sealed class AspectRatioTrainer : IModelTrainer
{
    public async Task<ModelPackage> TrainAsync(TrainingJob job, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var sums = new double[job.Labels.Count];
        var counts = new int[job.Labels.Count];
        foreach (var image in job.TrainImages)
        {
            var info = new ImageHeaderProbe().Probe(image.Path);
            foreach (var label in image.Labels)
            {
                sums[label] += Math.Log((double)info.Width / info.Height);
                counts[label]++;
            }
        }

        progress?.Report(new TrainingProgress(1, 1, 0, TimeSpan.Zero, TimeSpan.Zero));
        Directory.CreateDirectory(job.OutputDirectory);
        var weights = Path.Combine(job.OutputDirectory, "centroids.json");
        await File.WriteAllTextAsync(weights, JsonSerializer.Serialize(sums.Select((s, i) => counts[i] == 0 ? 0 : s / counts[i]).ToArray()), cancellationToken);
        return ModelPackage.Write(Path.Combine(job.OutputDirectory, "package"), weights, new ModelPackageMetadata { Kind = job.Kind, Labels = job.Labels.ToList() });
    }
}

/// <summary>Scores each label by how close the image's aspect ratio is to the label's.</summary>
internal sealed class AspectRatioRuntime : IModelRuntime
{
    public void Validate(ModelPackage package)
    {
    }

    public Task<IModelHost> StartAsync(ModelPackage package, InferenceUnits units, CancellationToken cancellationToken) =>
        Task.FromResult<IModelHost>(new Host(JsonSerializer.Deserialize<double[]>(File.ReadAllText(package.ModelPath))!, units));

    private sealed class Host(double[] centroids, InferenceUnits units) : IModelHost
    {
        public int DesiredInferenceUnits => units.Min;

        public int InServiceInferenceUnits => units.Min;

        public ValueTask<IReadOnlyList<LabelPrediction>> DetectAsync(ReadOnlyMemory<byte> encodedImage, CancellationToken cancellationToken)
        {
            var info = ImageHeaderProbe.Probe(encodedImage.Span);
            var ratio = Math.Log((double)info.Width / info.Height);
            return ValueTask.FromResult<IReadOnlyList<LabelPrediction>>(centroids.Select((c, i) => new LabelPrediction(i, (float)Math.Exp(-Math.Abs(ratio - c)))).ToArray());
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
