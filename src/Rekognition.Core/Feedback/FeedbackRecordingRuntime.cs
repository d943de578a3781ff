using System.Globalization;
using Rekognition.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rekognition.Core.Arns;
using Rekognition.Core.Images;
using Rekognition.Core.Inference;
using Rekognition.Core.Models;

namespace Rekognition.Core.Feedback;

/// <summary>
/// An inference backend that wraps another and, for the versions whose feedback recording is on
/// (<see cref="IFeedbackClient.SetFeedbackRecordingAsync"/>), keeps a copy of each image
/// DetectCustomLabels analyses with the model's answer, for review. Give it to the client in place of the
/// runtime it wraps, or call <c>services.AddRekognitionFeedbackRecording()</c> after registering the runtime.
/// The client's hosting decorates each model it starts (it knows the version) with a recorder over the client's own
/// catalog. Recording never fails a detection: a recording error is logged and the answer returned.
/// </summary>
public sealed class FeedbackRecordingRuntime : IModelRuntime
{
    /// <summary>The bucket (of the buckets provider: a folder under the buckets root, or S3 itself) that holds the recorded images.</summary>
    public const string FeedbackBucket = "custom-labels-feedback";

    /// <summary>Most labels kept per image for a classifier: its best guesses, whatever their confidence.</summary>
    public const int MaxRecordedLabels = 10;

    private readonly IModelRuntime _inner;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Wraps <paramref name="inner"/>; recorded images go into the buckets of the store hosting the model (<paramref name="options"/> name them).</summary>
    public FeedbackRecordingRuntime(IModelRuntime inner, IOptions<RekognitionOptions> options, ILogger<FeedbackRecordingRuntime>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        _inner = inner;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The runtime this one wraps.</summary>
    internal IModelRuntime Inner => _inner;

    /// <inheritdoc />
    public void Validate(ModelPackage package) => _inner.Validate(package);

    /// <inheritdoc />
    /// <remarks>A model started here directly (a training's evaluation run) is not recorded: the client's hosting adds the recorder, with the version.</remarks>
    public Task<IModelHost> StartAsync(ModelPackage package, InferenceUnits units, CancellationToken cancellationToken) =>
        _inner.StartAsync(package, units, cancellationToken);

    /// <summary>
    /// The hosting decorator: <paramref name="host"/> (of <paramref name="version"/>) recording into <paramref name="feedback"/>,
    /// the hosting store's catalog, with the images written into the hosting store's <paramref name="buckets"/>.
    /// </summary>
    internal IModelHost Record(IModelHost host, Catalog.VersionRecord version, ModelPackageMetadata metadata, Catalog.IFeedbackCatalog feedback, IBucketStore buckets) =>
        new RecordingHost(this, host, new Recorder(version, metadata, feedback, buckets));

    private async Task RecordAsync(Recorder to, ReadOnlyMemory<byte> image, ImageInfo info, IReadOnlyList<LabelPrediction> predictions)
    {
        var (version, metadata, feedback, buckets) = to;
        var versionArn = version.Arn;
        if (!info.IsOk)
        {
            FeedbackLog.HeaderUnreadable(_logger, versionArn, info.Problem);
            return;
        }

        // The key is made of store ids, never of project or version names (".." is a valid name), and written into the
        // store's buckets (confined beneath the buckets root, or S3 itself).
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var key = string.Create(CultureInfo.InvariantCulture, $"{version.ProjectId}/{version.Id}/{now}-{Guid.NewGuid():N}{(info.Format == ImageFormat.Png ? ".png" : ".jpg")}");
        await buckets.WriteAsync(FeedbackBucket, key, stream => stream.WriteAsync(image).AsTask()).ConfigureAwait(false);

        // A classifier's best guesses are kept even below its thresholds, so a reviewer sees what it hesitated
        // between; a detector's boxes are those DetectCustomLabels returns by default.
        var detection = metadata.Kind == ModelKind.Detection;
        var labels = CustomLabelFilter.Apply(predictions, metadata, minConfidence: detection ? null : 0, maxResults: detection ? null : MaxRecordedLabels)
            .Select(l => new FeedbackLabel { Name = l.Name!, Confidence = l.Confidence, Box = l.Geometry?.BoundingBox })
            .ToList();
        feedback.Insert(versionArn, $"s3://{FeedbackBucket}/{key}", info.Width, info.Height, metadata.Kind == ModelKind.Detection, now, labels);
    }

    /// <summary>Where a host's recordings go: its version, and the hosting store's catalog and buckets.</summary>
    private sealed record Recorder(Catalog.VersionRecord Version, ModelPackageMetadata Metadata, Catalog.IFeedbackCatalog Feedback, IBucketStore Buckets);

    private sealed class RecordingHost(FeedbackRecordingRuntime runtime, IModelHost inner, Recorder recorder) : IModelHost
    {
        public int DesiredInferenceUnits => inner.DesiredInferenceUnits;

        public int InServiceInferenceUnits => inner.InServiceInferenceUnits;

        // Without the caller's header: the image is probed here, once, for the recording.
        public async ValueTask<IReadOnlyList<LabelPrediction>> DetectAsync(ReadOnlyMemory<byte> encodedImage, CancellationToken cancellationToken)
        {
            var predictions = await inner.DetectAsync(encodedImage, cancellationToken).ConfigureAwait(false);
            await TryRecordAsync(encodedImage, null, predictions).ConfigureAwait(false);
            return predictions;
        }

        // With the header hosting probed already: passed to the model and reused by the recording, never read again.
        public async ValueTask<IReadOnlyList<LabelPrediction>> DetectAsync(ReadOnlyMemory<byte> encodedImage, ImageInfo header, CancellationToken cancellationToken)
        {
            var predictions = await inner.DetectAsync(encodedImage, header, cancellationToken).ConfigureAwait(false);
            await TryRecordAsync(encodedImage, header, predictions).ConfigureAwait(false);
            return predictions;
        }

        private async Task TryRecordAsync(ReadOnlyMemory<byte> encodedImage, ImageInfo? header, IReadOnlyList<LabelPrediction> predictions)
        {
            if (!recorder.Feedback.IsRecording(recorder.Version.Arn))
            {
                return;
            }

            try
            {
                await runtime.RecordAsync(recorder, encodedImage, header ?? ImageHeaderProbe.Probe(encodedImage.Span), predictions).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Data.Common.DbException or InvalidOperationException)
            {
                // InvalidOperationException: a remote bucket that cannot be reached.
                FeedbackLog.NotRecorded(runtime._logger, ex, recorder.Version.Arn);
            }
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
