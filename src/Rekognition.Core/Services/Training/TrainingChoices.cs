using Rekognition.Core.Models;

namespace Rekognition.Core.Services.Training;

/// <summary>
/// The settings a training resolved (the job's, else the store's): a backbone for image classifiers and one for object
/// detectors (the training uses the one its datasets' kind needs, known only once they are read), and whether unlabeled
/// images are used as negative examples.
/// </summary>
/// <param name="Classifier">Path, <c>none</c>, or null (the trainer's default classifier backbone).</param>
/// <param name="Detector">Path of a pretrained detector, <c>none</c>, or null (the built-in detector from scratch).</param>
/// <param name="Negatives">Whether unlabeled training images (box-less ones for detection) are negative examples.</param>
internal sealed record TrainingChoices(string? Classifier, string? Detector, bool Negatives = false)
{
    /// <summary>The backbone a job of <paramref name="kind"/> trains on.</summary>
    public string? For(ModelKind kind) => kind == ModelKind.Detection ? Detector : Classifier;
}
