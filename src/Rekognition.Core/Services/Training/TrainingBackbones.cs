using Rekognition.Core.Models;

namespace Rekognition.Core.Services.Training;

/// <summary>
/// The two backbone settings a training resolved (the job's, else the store's): one for image classifiers, one for
/// object detectors; the training uses the one its datasets' kind needs, known only once they are read.
/// </summary>
/// <param name="Classifier">Path, <c>none</c>, or null (the trainer's default classifier backbone).</param>
/// <param name="Detector">Path of a pretrained detector, <c>none</c>, or null (the built-in detector from scratch).</param>
internal sealed record TrainingBackbones(string? Classifier, string? Detector)
{
    /// <summary>The backbone a job of <paramref name="kind"/> trains on.</summary>
    public string? For(ModelKind kind) => kind == ModelKind.Detection ? Detector : Classifier;
}
