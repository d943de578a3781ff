using System.Globalization;
using System.Text.Json;
using Rekognition.Core.Images;
using Rekognition.Core.Inference;
using Rekognition.Core.Models;
using Rekognition.Core.Training;

namespace Rekognition.Core.Tests.TestSupport;

/// <summary>
/// A real but tiny learner for the training workflow's tests: it learns each label's mean aspect ratio
/// (log width/height, read from the image header) and scores an image's labels by closeness to it. Tests
/// draw wide images for one label and tall ones for another, so what it learns and predicts is known.
/// The ONNX trainer and runtime have their own tests; this one keeps Core's tests free of them.
/// </summary>
internal sealed class AspectRatioTrainer : IModelTrainer
{
    public List<TrainingJob> Jobs { get; } = new();

    public List<TrainingProgress> Reported { get; } = new();

    /// <summary>When set, training waits for it (or for cancellation) before finishing.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>When set, training throws it.</summary>
    public Exception? Failure { get; set; }

    public async Task<ModelPackage> TrainAsync(TrainingJob job, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        Jobs.Add(job);
        var sums = new double[job.Labels.Count];
        var counts = new int[job.Labels.Count];
        foreach (var image in job.TrainImages)
        {
            ImageInfo info;
            await using (var stream = job.OpenImageFile(image.Path))
            {
                info = ImageHeaderProbe.Probe(stream);
            }

            foreach (var label in image.Labels)
            {
                sums[label] += Math.Log((double)info.Width / info.Height);
                counts[label]++;
            }
        }

        for (var epoch = 1; epoch <= 3; epoch++)
        {
            var step = new TrainingProgress(epoch, 3, 1f / epoch, TimeSpan.FromMilliseconds(epoch), TimeSpan.FromMilliseconds(3 - epoch));
            Reported.Add(step);
            progress?.Report(step);
        }

        if (Gate is not null)
        {
            await Gate.Task.WaitAsync(cancellationToken);
        }

        if (Failure is not null)
        {
            throw Failure;
        }

        Directory.CreateDirectory(job.OutputDirectory);
        var weights = Path.Combine(job.OutputDirectory, "centroids.json");
        await File.WriteAllTextAsync(weights, JsonSerializer.Serialize(sums.Select((s, i) => counts[i] == 0 ? 0 : s / counts[i]).ToArray()), cancellationToken);
        var metadata = new ModelPackageMetadata { Kind = job.Kind, Labels = job.Labels.ToList() };
        metadata.Training["Images"] = job.TrainImages.Count.ToString(CultureInfo.InvariantCulture);
        return ModelPackage.Write(Path.Combine(job.OutputDirectory, "package"), weights, metadata);
    }
}

/// <summary>Runs what <see cref="AspectRatioTrainer"/> wrote: a score per label from the image's aspect ratio.</summary>
internal sealed class AspectRatioRuntime : IModelRuntime
{
    public void Validate(ModelPackage package)
    {
    }

    public Task<IModelHost> StartAsync(ModelPackage package, InferenceUnits units, CancellationToken cancellationToken)
    {
        var centroids = JsonSerializer.Deserialize<double[]>(File.ReadAllText(package.ModelPath))!;
        return Task.FromResult<IModelHost>(new Host(centroids, units));
    }

    private sealed class Host(double[] centroids, InferenceUnits units) : IModelHost
    {
        public int DesiredInferenceUnits => units.Min;

        public int InServiceInferenceUnits => units.Min;

        public ValueTask<IReadOnlyList<LabelPrediction>> DetectAsync(ReadOnlyMemory<byte> encodedImage, CancellationToken cancellationToken)
        {
            var info = ImageHeaderProbe.Probe(encodedImage.Span);
            var ratio = Math.Log((double)info.Width / info.Height);
            var scores = centroids.Select((c, i) => new LabelPrediction(i, (float)Math.Exp(-Math.Abs(ratio - c)))).ToArray();
            return ValueTask.FromResult<IReadOnlyList<LabelPrediction>>(scores);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
