using System.Globalization;
using Rekognition.Core.Catalog;
using Rekognition.Core.Evaluation;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Core.Storage;
using Rekognition.Core.Validation;

namespace Rekognition.Core.Services.Training;

/// <summary>What evaluation on the test set leaves behind: the summary and snapshot files, the HTML report and the assumed thresholds.</summary>
internal sealed class EvaluationFiles(Store store, SourceRefResolver resolver, StoreClock clock)
{
    /// <summary>Writes each label's assumed threshold (and the F1 score) into a model package's metadata.</summary>
    public static ModelPackageMetadata WithAssumedThresholds(ModelPackageMetadata metadata, ModelEvaluation evaluation)
    {
        foreach (var label in evaluation.LabelResults.Where(l => l.HasGroundTruth))
        {
            metadata.AssumedThresholds[label.Label] = Math.Clamp(label.Threshold, 0f, 1f);
        }

        metadata.Evaluation["F1Score"] = evaluation.Aggregate.F1Score.ToString("R", CultureInfo.InvariantCulture);
        metadata.Evaluation["TestImages"] = evaluation.NumberOfTestingImages.ToString(CultureInfo.InvariantCulture);
        return metadata;
    }

    /// <summary>Stages the evaluation summary and snapshot of a training (<paramref name="trainingKey"/>) and returns the version's EvaluationResult.</summary>
    public async Task<EvaluationResult> WriteAsync(
        ProjectRecord project, VersionRecord version, ModelEvaluation evaluation, int trainingImages, string trainingKey, Func<string, S3Object> location, CancellationToken ct)
    {
        await store.Objects.PutAsync(StoreLayout.StagedOutput(trainingKey, StagedFile.EvaluationSummary), stream => EvaluationSummaryWriter.WriteAsync(stream, evaluation, new EvaluationSummaryDetails
        {
            ProjectVersionArn = version.Arn,
            EvaluationEndTimestamp = clock.UtcNow,
            NumberOfTrainingImages = trainingImages,
        }, ct), ct).ConfigureAwait(false);
        await store.Objects.PutAsync(StoreLayout.StagedOutput(trainingKey, StagedFile.TestingOutputManifest), stream =>
        {
            EvaluationSnapshotWriter.Write(stream, evaluation, clock.UtcNow);
            return Task.CompletedTask;
        }, ct).ConfigureAwait(false);
        return evaluation.ToEvaluationResult(location(TrainingLocations.PublishedName(StagedFile.EvaluationSummary, project, version)));
    }

    /// <summary>Writes the HTML evaluation report into the store at <paramref name="key"/>, with the test images read beneath their roots.</summary>
    public async Task WriteReportAsync(ProjectRecord project, VersionRecord version, ModelEvaluation evaluation, string key, CancellationToken ct,
        IReadOnlyList<SummaryError>? warnings = null)
    {
        var images = evaluation.Input.Images.ToDictionary(i => i.SourceRef, i => resolver.Resolve(i.SourceRef).LocalPath, StringComparer.Ordinal);
        await store.Objects.PutAsync(key, stream => EvaluationHtmlReportWriter.WriteAsync(stream, evaluation, new EvaluationReportOptions
        {
            Title = $"{project.Name} / {version.Name}",
            Warnings = warnings?.Select(w => $"{w.Code}: {w.Message}").ToList() ?? [],
            ImageBytes = image => images.GetValueOrDefault(image.SourceRef) is { } file ? SourceContent.ReadLocation(resolver, file).Bytes : null,
        }, ct), ct).ConfigureAwait(false);
    }
}
