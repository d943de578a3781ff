using Rekognition.Training.Trainers;

namespace Rekognition.Training;

/// <summary>
/// Settings of the training engine AddRekognitionTraining registers, bindable from the <c>Rekognition:Training</c>
/// configuration section (beside the store's <c>Backbone</c>).
/// </summary>
public sealed class RekognitionTrainingOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Rekognition:Training";

    /// <summary>How image classifiers (single- and multi-label) are trained.</summary>
    public ImageClassifierTrainerOptions Classifier { get; set; } = new();

    /// <summary>How object detectors are trained.</summary>
    public ObjectDetectorTrainerOptions Detector { get; set; } = new();
}
