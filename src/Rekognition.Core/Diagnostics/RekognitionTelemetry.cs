using System.Diagnostics;

namespace Rekognition.Core.Diagnostics;

/// <summary>
/// The library's tracing: one <see cref="ActivitySource"/> named <see cref="ActivitySourceName"/>, with spans around
/// dataset imports, trainings, evaluations and DetectCustomLabels calls. Subscribe by name (OpenTelemetry's
/// <c>AddSource("Rekognition.Core")</c>, or an <see cref="ActivityListener"/>).
/// </summary>
public static class RekognitionTelemetry
{
    /// <summary>The name of the library's <see cref="ActivitySource"/>.</summary>
    public const string ActivitySourceName = "Rekognition.Core";

    /// <summary>Tag: the project's ARN.</summary>
    public const string ProjectArnTag = "rekognition.project_arn";

    /// <summary>Tag: the model version's ARN.</summary>
    public const string ProjectVersionArnTag = "rekognition.project_version_arn";

    /// <summary>Tag: the dataset's ARN.</summary>
    public const string DatasetArnTag = "rekognition.dataset_arn";

    /// <summary>Tag: how many images the span's work covers (imported, trained on, tested on, detected in).</summary>
    public const string ImageCountTag = "rekognition.image_count";

    /// <summary>Tag: how many labels a DetectCustomLabels call answered with.</summary>
    public const string LabelCountTag = "rekognition.label_count";

    internal static readonly ActivitySource Source = new(ActivitySourceName, typeof(RekognitionTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>A dataset import (CreateDataset from a manifest); the importer adds the image count.</summary>
    internal static Activity? StartImport(string datasetArn) =>
        Source.StartActivity("ImportDataset")?.SetTag(DatasetArnTag, datasetArn);

    /// <summary>A training, from validation of the manifests to the model written and evaluated.</summary>
    internal static Activity? StartTraining(string projectArn, string versionArn) =>
        Source.StartActivity("TrainProjectVersion")?.SetTag(ProjectArnTag, projectArn).SetTag(ProjectVersionArnTag, versionArn);

    /// <summary>An evaluation of a trained model on <paramref name="testImages"/> test images.</summary>
    internal static Activity? StartEvaluation(string versionArn, int testImages) =>
        Source.StartActivity("EvaluateProjectVersion")?.SetTag(ProjectVersionArnTag, versionArn).SetTag(ImageCountTag, testImages);

    /// <summary>One DetectCustomLabels call (one image).</summary>
    internal static Activity? StartDetect(string versionArn) =>
        Source.StartActivity("DetectCustomLabels")?.SetTag(ProjectVersionArnTag, versionArn).SetTag(ImageCountTag, 1);
}
