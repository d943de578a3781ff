using Rekognition.Core.Feedback;
using Rekognition.Core.Manifests;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;

namespace Rekognition.Core;

// The model feedback loop (not service operations): a running model's predictions are recorded with their
// images (through FeedbackRecordingRuntime), a reviewer accepts or corrects them, and the reviewed images
// are added to a dataset with UpdateDatasetEntries, ready for the next CreateProjectVersion.
public sealed partial class RekognitionCustomLabelsClient
{
    private Catalog.IFeedbackCatalog Feedback => _store.Feedback;

    /// <summary>
    /// Turns feedback recording on or off for a model version. While on, every image DetectCustomLabels
    /// analyses with it is kept with the model's answer, when the client's runtime is a
    /// <see cref="FeedbackRecordingRuntime"/>. Not a service operation.
    /// </summary>
    /// <exception cref="ResourceNotFoundException">The version does not exist.</exception>
    /// <exception cref="InvalidParameterException">Recording is turned on but the client's runtime does not record.</exception>
    public Task SetFeedbackRecordingAsync(string projectVersionArn, bool enabled, CancellationToken cancellationToken = default)
    {
        var version = FindVersion(projectVersionArn);
        if (enabled && _runtime is not FeedbackRecordingRuntime)
        {
            throw new InvalidParameterException(
                "This client's inference runtime does not record feedback. Wrap it in FeedbackRecordingRuntime (services.AddRekognitionFeedbackRecording()) and turn recording on again.");
        }

        Feedback.SetRecording(version.Arn, enabled);
        return Task.CompletedTask;
    }

    /// <summary>The images recorded for a version, oldest first; only those in <paramref name="status"/> when given.</summary>
    public Task<IReadOnlyList<FeedbackItem>> ListFeedbackAsync(string projectVersionArn, FeedbackStatus? status = null, CancellationToken cancellationToken = default)
    {
        var version = FindVersion(projectVersionArn);
        IReadOnlyList<FeedbackItem> items = Feedback.List(version.Arn, status?.ToString()).Select(ToItem).ToList();
        return Task.FromResult(items);
    }

    /// <summary>
    /// Confirms the model's answer for a recorded image: a classifier's top label, or a detector's boxes.
    /// For a multi-label answer, give the labels with <see cref="CorrectFeedbackAsync"/>.
    /// </summary>
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

    /// <summary>
    /// Replaces the model's labels of a recorded image with <paramref name="labels"/>: names only for a
    /// classification model, a box on each for an object-location model (boxes as ratios of the image).
    /// </summary>
    /// <exception cref="InvalidParameterException">A label has no name, a box where none fits, no box where one is needed, or a box outside the image.</exception>
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
            RequestValidation.Length(label!.Name, "Labels.Name", 1, _options.Limits.MaxLabelNameLength);
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

    /// <summary>Sets a recorded image aside: it is never added to a dataset.</summary>
    public Task<FeedbackItem> DiscardFeedbackAsync(long feedbackId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Review(FindFeedback(feedbackId), FeedbackStatus.Discarded, null));

    /// <summary>
    /// Adds a version's reviewed images that are not in a dataset yet (accepted and corrected ones) to
    /// <paramref name="datasetArn"/> with UpdateDatasetEntries, as human-annotated Ground Truth lines, and
    /// returns how many were sent (0 sends nothing). As the service wants a dataset's images in one bucket, the
    /// images are copied into the bucket the dataset's images are in (under <c>custom-labels-feedback/</c>). Wait for DescribeDataset's UPDATE_COMPLETE, then train
    /// the next version with CreateProjectVersion.
    /// </summary>
    public async Task<int> AddReviewedFeedbackToDatasetAsync(string projectVersionArn, string datasetArn, CancellationToken cancellationToken = default)
    {
        var version = FindVersion(projectVersionArn);
        FindDataset(datasetArn, "DatasetArn");
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
                var entry = bucket is null ? record : record with { SourceRef = CopyIntoBucket(record.SourceRef, bucket) };
                FeedbackManifest.Write(writer, entry, FromMs(record.ReviewedMs ?? NowMs()));
            }
        }

        lines.Position = 0;
        await UpdateDatasetEntriesAsync(new UpdateDatasetEntriesRequest { DatasetArn = datasetArn, Changes = new DatasetChanges { GroundTruth = lines } }, cancellationToken)
            .ConfigureAwait(false);
        Feedback.MarkAdded(ready.Select(r => r.Id), datasetArn);
        return ready.Count;
    }

    /// <summary>The bucket a dataset's images are in (a dataset's images must all be in one); null for an empty dataset or one of local paths.</summary>
    private async Task<string?> DatasetBucketAsync(string datasetArn, CancellationToken cancellationToken)
    {
        var first = await ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = datasetArn, MaxResults = 1 }, cancellationToken).ConfigureAwait(false);
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
    private string CopyIntoBucket(string sourceRef, string bucket)
    {
        var recorded = sourceRef[$"s3://{FeedbackRecordingRuntime.FeedbackBucket}/".Length..];
        var key = $"{FeedbackRecordingRuntime.FeedbackBucket}/{recorded}";
        if (!_resolver.Buckets.FileExists($"{bucket}/{key}"))
        {
            // Read and written beneath the buckets root: a link in either bucket cannot lead the copy elsewhere.
            using var image = _resolver.OpenObject(FeedbackRecordingRuntime.FeedbackBucket, recorded, out _)
                              ?? throw new InvalidS3ObjectException($"The recorded image {sourceRef} is missing.");
            _resolver.Buckets.WriteFile($"{bucket}/{key}", image.CopyTo);
        }

        return $"s3://{bucket}/{key}";
    }

    private FeedbackItem Review(FeedbackRecord record, FeedbackStatus status, List<FeedbackLabel>? labels)
    {
        if (!Feedback.TryReview(record.Id, status.ToString(), labels, NowMs()))
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
        RecordedAt = FromMs(r.RecordedMs),
        Predictions = r.Predictions,
        Status = Enum.Parse<FeedbackStatus>(r.Status),
        ReviewedLabels = r.Reviewed,
        ReviewedAt = r.ReviewedMs is { } ms ? FromMs(ms) : null,
        AddedToDatasetArn = r.DatasetArn,
    };
}
