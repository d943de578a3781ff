namespace Rekognition.Core.Training;

/// <summary>What a C# caller may add to one CreateProjectVersion beyond the service's request.</summary>
public sealed class TrainingRunOptions
{
    /// <summary>Receives the training's progress (epoch, loss, time left), besides DescribeProjectVersions' StatusMessage.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>
    /// The path of an ONNX backbone for this job (transfer learning), overriding the store's
    /// <see cref="TrainingDefaults.Backbone"/> (<see cref="TrainingJob.NoBackbone"/>: the built-in network from scratch);
    /// the model version's metadata records which one was used.
    /// </summary>
    public string? Backbone { get; init; }

    /// <summary>
    /// The path of a pretrained ONNX detector for this job when it trains an object detector, overriding the store's
    /// <see cref="TrainingDefaults.DetectionBackbone"/> (<see cref="TrainingJob.NoBackbone"/>: the built-in detector from scratch).
    /// </summary>
    public string? DetectionBackbone { get; init; }

    /// <summary>Whether this job uses unlabeled training images as negative examples, overriding <see cref="TrainingDefaults.NegativeExamples"/>.</summary>
    public bool? NegativeExamples { get; init; }
}
