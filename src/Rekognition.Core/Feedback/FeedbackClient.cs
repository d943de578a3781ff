using Rekognition.Core.Catalog;
using Rekognition.Core.Inference;
using Rekognition.Core.Manifests;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;
using Rekognition.Core.Services;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Feedback;

/// <summary>The feedback loop over the catalog's feedback records; datasets are changed through the AWS-shaped client.</summary>
internal sealed class FeedbackClient(
    IAmazonRekognition client,
    RekognitionOptions options,
    Store store,
    SourceRefResolver resolver,
    ResourceLookup lookup,
    StoreClock clock,
    IModelRuntime? runtime = null) : IFeedbackClient
{
    private IFeedbackCatalog Feedback => store.Feedback;

    /// <inheritdoc />
    public Task SetFeedbackRecordingAsync(string projectVersionArn, bool enabled, CancellationToken cancellationToken = default)
    {
        var version = lookup.Version(projectVersionArn);
        if (enabled && runtime is not FeedbackRecordingRuntime)
        {
            throw new InvalidParameterException(
                "This client's inference runtime does not record feedback. Wrap it in FeedbackRecordingRuntime (services.AddRekognitionFeedbackRecording()) and turn recording on again.");
        }

        Feedback.SetRecording(version.Arn, enabled);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<FeedbackItem>> ListFeedbackAsync(string projectVersionArn, FeedbackStatus? status = null, CancellationToken cancellationToken = default)
    {
        var version = lookup.Version(projectVersionArn);
        IReadOnlyList<FeedbackItem> items = Feedback.List(version.Arn, status?.ToString()).Select(ToItem).ToList();
        return Task.FromResult(items);
    }

    /// <inheritdoc />
    public Task<FeedbackItem> AcceptFeedbackAsync(long feedbackId, CancellationToken cancellationToken = default)
    {
        var record = FindFeedback(feedbackId);
        if (!record.IsObjectLocation && record.Predictions.Count == 0)
        {
            throw new InvalidParameterException(
                $"The model returned no label for feedback {feedbackId}, so there is nothing to accept. Correct it with the right label, or discard it.");
        }

        // A classifier's answer is its top label; a detector's is every box it returned.
        var answer = record.IsObjectLocation ? record.Predictions : record.Predictions.Take(1);
        var labels = answer.Select(p => new FeedbackLabel { Name = p.Name, Box = p.Box }).ToList();
        return Task.FromResult(Review(record, FeedbackStatus.Accepted, labels));
    }

    /// <inheritdoc />
    public Task<FeedbackItem> CorrectFeedbackAsync(long feedbackId, IReadOnlyList<FeedbackLabel> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var record = FindFeedback(feedbackId);
        if (!record.IsObjectLocation && labels.Count == 0)
        {
            throw new InvalidParameterException("A corrected image needs at least one label. To leave it out of the dataset, discard it instead.");
        }

        foreach (var label in labels)
        {
            RequestValidation.Required(label?.Name, "Labels.Name");
            RequestValidation.Length(label!.Name, "Labels.Name", 1, options.Limits.MaxLabelNameLength);
            if (!record.IsObjectLocation && label.Box is not null)
            {
                throw new InvalidParameterException($"Label '{label.Name}' has a box, but the model labels whole images. Give names only.");
            }

            if (record.IsObjectLocation)
            {
                CheckBox(label);
            }
        }

        var reviewed = labels.Select(l => new FeedbackLabel { Name = l.Name, Box = l.Box }).ToList();
        return Task.FromResult(Review(record, FeedbackStatus.Corrected, reviewed));
    }

    /// <inheritdoc />
    public Task<FeedbackItem> DiscardFeedbackAsync(long feedbackId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Review(FindFeedback(feedbackId), FeedbackStatus.Discarded, null));

    /// <inheritdoc />
    public async Task<int> AddReviewedFeedbackToDatasetAsync(string projectVersionArn, string datasetArn, CancellationToken cancellationToken = default)
    {
        var version = lookup.Version(projectVersionArn);
        lookup.Dataset(datasetArn, "DatasetArn");
        var ready = Feedback.List(version.Arn, null)
            .Where(r => r.DatasetArn is null && r.Status is nameof(FeedbackStatus.Accepted) or nameof(FeedbackStatus.Corrected))
            .ToList();
        if (ready.Count == 0)
        {
            return 0;
        }

        var bucket = await DatasetBucketAsync(datasetArn, cancellationToken).ConfigureAwait(false);
        var lines = new MemoryStream();
        using (var writer = new GroundTruthManifestWriter(lines, leaveOpen: true))
        {
            foreach (var record in ready)
            {
                var entry = bucket is null ? record : record with { SourceRef = await CopyIntoBucketAsync(record.SourceRef, bucket, cancellationToken).ConfigureAwait(false) };
                FeedbackManifest.Write(writer, entry, StoreClock.FromMs(record.ReviewedMs ?? clock.NowMs()));
            }
        }

        lines.Position = 0;
        await client.UpdateDatasetEntriesAsync(new UpdateDatasetEntriesRequest { DatasetArn = datasetArn, Changes = new DatasetChanges { GroundTruth = lines } }, cancellationToken)
            .ConfigureAwait(false);
        Feedback.MarkAdded(ready.Select(r => r.Id), datasetArn);
        return ready.Count;
    }

    /// <summary>The bucket a dataset's images are in (a dataset's images must all be in one); null for an empty dataset or one of local paths.</summary>
    private async Task<string?> DatasetBucketAsync(string datasetArn, CancellationToken cancellationToken)
    {
        var first = await client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = datasetArn, MaxResults = 1 }, cancellationToken).ConfigureAwait(false);
        if (first.DatasetEntries.Count == 0)
        {
            return null;
        }

        using var line = System.Text.Json.JsonDocument.Parse(first.DatasetEntries[0]);
        var sourceRef = line.RootElement.GetProperty("source-ref").GetString() ?? "";
        if (!sourceRef.StartsWith("s3://", StringComparison.Ordinal))
        {
            return null;
        }

        var bucket = sourceRef["s3://".Length..].Split('/')[0];
        return bucket == FeedbackRecordingRuntime.FeedbackBucket ? null : bucket;
    }

    /// <summary>Copies a recorded image into <paramref name="bucket"/> under the feedback bucket's name, and returns its new source-ref.</summary>
    private async Task<string> CopyIntoBucketAsync(string sourceRef, string bucket, CancellationToken cancellationToken)
    {
        var recorded = sourceRef[$"s3://{FeedbackRecordingRuntime.FeedbackBucket}/".Length..];
        var key = $"{FeedbackRecordingRuntime.FeedbackBucket}/{recorded}";
        var buckets = resolver.BucketStore;
        if (!await buckets.ExistsAsync(bucket, key, cancellationToken).ConfigureAwait(false))
        {
            // Through the buckets provider: confined beneath the buckets root (a link in either bucket cannot lead the copy
            // elsewhere), or S3 itself.
            var read = await buckets.OpenReadAsync(FeedbackRecordingRuntime.FeedbackBucket, recorded, cancellationToken).ConfigureAwait(false);
            await using var image = read.Content ?? throw new InvalidS3ObjectException($"The recorded image {sourceRef} is missing.");
            await buckets.WriteAsync(bucket, key, stream => image.CopyToAsync(stream, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        return $"s3://{bucket}/{key}";
    }

    private FeedbackItem Review(FeedbackRecord record, FeedbackStatus status, List<FeedbackLabel>? labels)
    {
        if (!Feedback.TryReview(record.Id, status.ToString(), labels, clock.NowMs()))
        {
            throw new InvalidParameterException(
                $"Feedback {record.Id} was already added to dataset {record.DatasetArn}; change the entry there with UpdateDatasetEntries.");
        }

        return ToItem(Feedback.Find(record.Id)!);
    }

    private FeedbackRecord FindFeedback(long id)
    {
        var record = Feedback.Find(id) ?? throw new ResourceNotFoundException($"There is no recorded feedback with id {id}. ListFeedbackAsync lists a version's records.");
        if (record.DatasetArn is not null)
        {
            throw new InvalidParameterException(
                $"Feedback {id} was already added to dataset {record.DatasetArn}; change the entry there with UpdateDatasetEntries.");
        }

        return record;
    }

    private static void CheckBox(FeedbackLabel label)
    {
        if (label.Box is not { Left: { } left, Top: { } top, Width: { } width, Height: { } height })
        {
            throw new InvalidParameterException($"Label '{label.Name}' needs a box (Left, Top, Width, Height as ratios of the image): the model locates objects.");
        }

        const float slack = 1e-4f;
        if (!(left >= 0 && top >= 0 && width > 0 && height > 0 && left + width <= 1 + slack && top + height <= 1 + slack))
        {
            throw new InvalidParameterException(
                $"The box of label '{label.Name}' (Left {left}, Top {top}, Width {width}, Height {height}) must lie inside the image, as ratios between 0 and 1.");
        }
    }

    private static FeedbackItem ToItem(FeedbackRecord r) => new()
    {
        Id = r.Id,
        ProjectVersionArn = r.VersionArn,
        ImageSourceRef = r.SourceRef,
        ImageWidth = r.Width,
        ImageHeight = r.Height,
        IsObjectLocation = r.IsObjectLocation,
        RecordedAt = StoreClock.FromMs(r.RecordedMs),
        Predictions = r.Predictions,
        Status = Enum.Parse<FeedbackStatus>(r.Status),
        ReviewedLabels = r.Reviewed,
        ReviewedAt = r.ReviewedMs is { } ms ? StoreClock.FromMs(ms) : null,
        AddedToDatasetArn = r.DatasetArn,
    };
}
