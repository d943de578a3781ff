using System.Globalization;
using System.Text.Json;
using Rekognition.Core.Images;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Validation;

/// <summary>
/// The validation that starts training (datasets.md §8): validates the training and test manifests
/// together and streams <c>manifest_summary.json</c>, <c>training_manifest_with_validation.json</c> and
/// <c>testing_manifest_with_validation.json</c> straight into the object store (no local copy first). A terminal
/// manifest file error (empty, too large, too many lines) stops it before any of the three is stored.
/// </summary>
/// <remarks>
/// Decisions where the guide is silent: lines are invalid when <c>invalid / (total - ignored) &gt; 20 %</c>;
/// label minimums follow the quotas (2 for image-level, 1 for object location); the model type is chosen by
/// <see cref="ManifestUseCase.Choose"/>; in the brand-detection case (object location chosen, training lines
/// image-level only) the training image-level labels count as usable; an image in both manifests is reported
/// with the local code <see cref="ValidationCodes.TrainingTestingAssetOverlap"/>.
/// </remarks>
internal sealed class TrainingManifestValidation
{
    /// <summary>File name of the summary.</summary>
    public const string SummaryFileName = "manifest_summary.json";

    /// <summary>File name of the annotated training manifest.</summary>
    public const string TrainingManifestFileName = "training_manifest_with_validation.json";

    /// <summary>File name of the annotated test manifest.</summary>
    public const string TestingManifestFileName = "testing_manifest_with_validation.json";

    private readonly ManifestLimits _limits;
    private readonly ManifestLineValidator _validator;
    private readonly bool _requireSingleBucket;

    /// <summary>Creates the validation.</summary>
    /// <param name="limits">The service limits.</param>
    /// <param name="resolver">Maps <c>source-ref</c> values to local files.</param>
    /// <param name="checkImages">Whether image headers are read and checked.</param>
    /// <param name="requireSingleBucket">Whether images of one manifest must share a bucket (<c>ERROR_IMAGES_IN_MULTIPLE_S3_BUCKETS</c>), as the service requires.</param>
    public TrainingManifestValidation(ManifestLimits limits, SourceRefResolver resolver, bool checkImages, bool requireSingleBucket = true)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
        _validator = new ManifestLineValidator(limits, resolver, checkImages);
        _requireSingleBucket = requireSingleBucket;
    }

    /// <summary>Validates both manifests and puts the three result files at <paramref name="output"/>'s keys.</summary>
    /// <returns>The summary; <see cref="ManifestSummary.FileError"/> is set (and nothing stored) on a terminal manifest file error.</returns>
    public Task<ManifestSummary> RunAsync(Stream training, string? trainingBaseDir, Stream testing, string? testingBaseDir, ValidationOutputKeys output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(testing);
        ArgumentNullException.ThrowIfNull(output);
        return Task.Run(() => RunCoreAsync(training, trainingBaseDir, testing, testingBaseDir, output, ct), ct);
    }

    private async Task<ManifestSummary> RunCoreAsync(Stream training, string? trainingBaseDir, Stream testing, string? testingBaseDir, ValidationOutputKeys output, CancellationToken ct)
    {
        // The puts are nested so that each object is kept only once the ones inside it are: a file error, thrown out of
        // the writers, leaves none of the three (a put whose writer throws stores nothing).
        ManifestSummary? result = null;
        try
        {
            await output.Objects.PutAsync(output.TrainingManifest, async trainingFile =>
            {
                var trainingSourceRefs = new HashSet<string>(StringComparer.Ordinal);
                var trainingTally = ValidateInto(training, trainingBaseDir, trainingFile, trainingSourceRefs, null, out _, ct);
                if (trainingTally.CheckFileErrorForTraining() is { } trainingFileError)
                {
                    result = new ManifestSummary { FileError = trainingFileError, FileErrorDataset = "training" };
                    throw new FileErrorStop();
                }

                await output.Objects.PutAsync(output.TestingManifest, async testingFile =>
                {
                    var testingTally = ValidateInto(testing, testingBaseDir, testingFile, null, trainingSourceRefs, out var sharedImages, ct);
                    if (testingTally.CheckFileErrorForTraining() is { } testingFileError)
                    {
                        result = new ManifestSummary { FileError = testingFileError, FileErrorDataset = "testing" };
                        throw new FileErrorStop();
                    }

                    var summary = Summarize(trainingTally, testingTally, sharedImages);
                    await output.Objects.PutAsync(output.Summary,
                        summaryFile => JsonSerializer.SerializeAsync(summaryFile, summary, ValidationJsonContext.Default.ManifestSummary, ct), ct).ConfigureAwait(false);
                    result = summary;
                }, ct).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        }
        catch (FileErrorStop)
        {
        }

        return result!;
    }

    private ManifestTally ValidateInto(Stream manifest, string? baseDir, Stream output, HashSet<string>? collectSourceRefs, HashSet<string>? otherSourceRefs, out List<string> shared, CancellationToken ct)
    {
        var tally = new ManifestTally(_limits);
        shared = new List<string>();
        foreach (var line in _validator.Validate(manifest, baseDir, ct))
        {
            tally.Add(line);
            if (line.FileError is not null)
            {
                break;
            }

            if (line.SourceRef is not null && line.Outcome != LineOutcome.Dropped)
            {
                collectSourceRefs?.Add(line.SourceRef);
                if (otherSourceRefs is not null && otherSourceRefs.Contains(line.SourceRef))
                {
                    shared.Add(line.SourceRef);
                }
            }

            output.Write(line.Json.Span);
            output.WriteByte((byte)'\n');
        }

        return tally;
    }

    private ManifestSummary Summarize(ManifestTally training, ManifestTally testing, List<string> sharedImages)
    {
        var summary = new ManifestSummary();
        var useCase = ManifestUseCase.Choose(training, testing);
        var trainingOk = FillStatistics(summary.Statistics.Training, training, useCase, usableIncludesImageLevel: IsBrandCase(useCase, training));
        var testingOk = FillStatistics(summary.Statistics.Testing, testing, useCase, usableIncludesImageLevel: false);
        if (trainingOk && testingOk && training.Labels.Count > 0)
        {
            if (Overlap(training.Labels, testing.Labels) < _limits.MinLabelOverlap)
            {
                summary.Errors.Add(Error(ValidationCodes.InsufficientLabelOverlap, ValidationCodes.Format(ValidationCodes.InsufficientLabelOverlap, OverlapPercentText())));
            }
            else
            {
                var trainingUsable = UsableLabels(training, useCase, IsBrandCase(useCase, training));
                var testingUsable = UsableLabels(testing, useCase, false);
                if (trainingUsable.Count > 0 && Overlap(trainingUsable, testingUsable) < _limits.MinLabelOverlap)
                {
                    summary.Errors.Add(Error(ValidationCodes.InsufficientUsableLabelOverlap, ValidationCodes.Format(ValidationCodes.InsufficientUsableLabelOverlap, OverlapPercentText())));
                }
            }
        }

        if (sharedImages.Count > 0)
        {
            summary.Errors.Add(Error(ValidationCodes.TrainingTestingAssetOverlap, ValidationCodes.MessageWithDetail(ValidationCodes.TrainingTestingAssetOverlap,
                $"{sharedImages.Count} image(s) are in both, e.g. '{sharedImages[0]}'; test images must not be training images.")));
        }

        return summary;
    }

    /// <summary>Fills one dataset's block; false when the dataset failed the invalid-rows rule (label checks are then skipped).</summary>
    private bool FillStatistics(DatasetValidationStatistics statistics, ManifestTally tally, string useCase, bool usableIncludesImageLevel)
    {
        statistics.TotalJsonLines = tally.TotalLines;
        statistics.ValidJsonLines = tally.ValidLines;
        statistics.InvalidJsonLines = tally.InvalidLines;
        statistics.IgnoredJsonLines = tally.IgnoredLines;
        statistics.ErrorJsonLineIndices = tally.ErrorLineNumbers.ToList();
        if (tally.ExceedsInvalidShare(tally.InvalidLines))
        {
            statistics.UseCase = ManifestUseCase.NotDetermined;
            statistics.Errors.Add(Error(ValidationCodes.TooManyInvalidRowsInManifest, ValidationCodes.MessageWithDetail(ValidationCodes.TooManyInvalidRowsInManifest,
                string.Create(CultureInfo.InvariantCulture, $"{tally.InvalidLines} of {tally.TotalLines - tally.IgnoredLines} counted lines are invalid; at most {_limits.MaxInvalidLineFraction:P0} may be. Fix the lines listed in error_json_line_indices."))));
            return false;
        }

        statistics.UseCase = useCase;
        var minimum = useCase == ManifestUseCase.ImageLevelLabels ? _limits.MinClassificationLabels : _limits.MinDetectionLabels;
        if (tally.Labels.Count < minimum)
        {
            statistics.Errors.Add(Error(ValidationCodes.ManifestTooFewLabels, ValidationCodes.MessageWithDetail(ValidationCodes.ManifestTooFewLabels,
                $"It has {tally.Labels.Count} label(s); this model type needs at least {minimum}.")));
        }
        else if (tally.Labels.Count > _limits.MaxLabels)
        {
            statistics.Errors.Add(Error(ValidationCodes.ManifestTooManyLabels, ValidationCodes.MessageWithDetail(ValidationCodes.ManifestTooManyLabels,
                $"It has {tally.Labels.Count} labels; at most {_limits.MaxLabels} are allowed.")));
        }
        else
        {
            var usable = UsableLabels(tally, useCase, usableIncludesImageLevel);
            if (usable.Count < minimum)
            {
                statistics.Errors.Add(Error(ValidationCodes.ManifestTooFewUsableLabels, ValidationCodes.MessageWithDetail(ValidationCodes.ManifestTooFewUsableLabels,
                    $"Only {usable.Count} label(s) are on lines of the chosen type {useCase}; it needs at least {minimum}.")));
            }
        }

        if (_requireSingleBucket && tally.Buckets.Count > 1)
        {
            statistics.Errors.Add(Error(ValidationCodes.ImagesInMultipleS3Buckets, ValidationCodes.MessageWithDetail(ValidationCodes.ImagesInMultipleS3Buckets,
                $"Found {string.Join(", ", tally.Buckets.Order(StringComparer.Ordinal).Take(5))}.")));
        }

        return true;
    }

    private static bool IsBrandCase(string useCase, ManifestTally training) =>
        useCase == ManifestUseCase.ObjectLocalization && training.ObjectLocalizationLines == 0;

    private static IReadOnlyCollection<string> UsableLabels(ManifestTally tally, string useCase, bool includeImageLevel) => useCase switch
    {
        ManifestUseCase.ImageLevelLabels => tally.ImageLevelLabels,
        ManifestUseCase.ObjectLocalization when includeImageLevel => tally.Labels,
        ManifestUseCase.ObjectLocalization => tally.BoundingBoxLabels,
        _ => [],
    };

    private static double Overlap(IReadOnlyCollection<string> training, IReadOnlyCollection<string> testing)
    {
        if (training.Count == 0)
        {
            return 1.0;
        }

        var shared = testing is HashSet<string> set ? training.Count(set.Contains) : training.Intersect(testing, StringComparer.Ordinal).Count();
        return (double)shared / training.Count;
    }

    private string OverlapPercentText() => (_limits.MinLabelOverlap * 100).ToString("0.##", CultureInfo.InvariantCulture);

    private static SummaryError Error(string code, string message) => new(code, message);

    /// <summary>Thrown out of a put's writer to drop what it wrote: a manifest file error stores no result file.</summary>
    private sealed class FileErrorStop : Exception
    {
    }
}
