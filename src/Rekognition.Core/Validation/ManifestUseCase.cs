namespace Rekognition.Core.Validation;

/// <summary>The <c>use_case</c> values of the manifest summary.</summary>
internal static class ManifestUseCase
{
    /// <summary>An image-level (classification) model.</summary>
    public const string ImageLevelLabels = "IMAGE_LEVEL_LABELS";

    /// <summary>An object-location model.</summary>
    public const string ObjectLocalization = "OBJECT_LOCALIZATION";

    /// <summary>Validation stopped before the model type could be chosen, or there is no valid label.</summary>
    public const string NotDetermined = "NOT_DETERMINED";

    /// <summary>
    /// Chooses the model type for a training/test pair, since the guide does not say how the service does.
    /// The test set decides when its valid lines lean one way, because it is what the model is judged on
    /// (so image-level training lines with boxed test lines — the brand-detection case — give
    /// <see cref="ObjectLocalization"/>); otherwise the training set's majority decides, ties going to
    /// <see cref="ObjectLocalization"/> since boxed lines also carry their labels.
    /// </summary>
    public static string Choose(ManifestTally training, ManifestTally testing)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(testing);
        if (testing.ObjectLocalizationLines != testing.ImageLevelLines)
        {
            return testing.ObjectLocalizationLines > testing.ImageLevelLines ? ObjectLocalization : ImageLevelLabels;
        }

        if (training.ObjectLocalizationLines == 0 && training.ImageLevelLines == 0)
        {
            return testing.ObjectLocalizationLines > 0 ? ObjectLocalization : NotDetermined;
        }

        return training.ObjectLocalizationLines >= training.ImageLevelLines ? ObjectLocalization : ImageLevelLabels;
    }
}
