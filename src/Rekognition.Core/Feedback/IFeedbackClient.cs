using Rekognition.Core.Model;

namespace Rekognition.Core.Feedback;

/// <summary>
/// The model feedback loop (not service operations): a running model's predictions are recorded with their images
/// (through <see cref="FeedbackRecordingRuntime"/>), a reviewer accepts or corrects them, and the reviewed images are
/// added to a dataset with UpdateDatasetEntries, ready for the next CreateProjectVersion. Registered by AddRekognitionCustomLabels.
/// </summary>
public interface IFeedbackClient
{
    /// <summary>
    /// Turns feedback recording on or off for a model version. While on, every image DetectCustomLabels analyses with it
    /// is kept with the model's answer, when the inference runtime is a <see cref="FeedbackRecordingRuntime"/>.
    /// </summary>
    /// <exception cref="ResourceNotFoundException">The version does not exist.</exception>
    /// <exception cref="InvalidParameterException">Recording is turned on but the runtime does not record.</exception>
    Task SetFeedbackRecordingAsync(string projectVersionArn, bool enabled, CancellationToken cancellationToken = default);

    /// <summary>The images recorded for a version, oldest first; only those in <paramref name="status"/> when given.</summary>
    Task<IReadOnlyList<FeedbackItem>> ListFeedbackAsync(string projectVersionArn, FeedbackStatus? status = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Confirms the model's answer for a recorded image: a classifier's top label, or a detector's boxes.
    /// For a multi-label answer, give the labels with <see cref="CorrectFeedbackAsync"/>.
    /// </summary>
    Task<FeedbackItem> AcceptFeedbackAsync(long feedbackId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the model's labels of a recorded image with <paramref name="labels"/>: names only for a classification
    /// model, a box on each for an object-location model (boxes as ratios of the image).
    /// </summary>
    /// <exception cref="InvalidParameterException">A label has no name, a box where none fits, no box where one is needed, or a box outside the image.</exception>
    Task<FeedbackItem> CorrectFeedbackAsync(long feedbackId, IReadOnlyList<FeedbackLabel> labels, CancellationToken cancellationToken = default);

    /// <summary>Sets a recorded image aside: it is never added to a dataset.</summary>
    Task<FeedbackItem> DiscardFeedbackAsync(long feedbackId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a version's reviewed images that are not in a dataset yet (accepted and corrected ones) to
    /// <paramref name="datasetArn"/> with UpdateDatasetEntries, as human-annotated Ground Truth lines, and returns how many
    /// were sent (0 sends nothing). As the service wants a dataset's images in one bucket, the images are copied into the
    /// bucket the dataset's images are in (under <c>custom-labels-feedback/</c>). Wait for DescribeDataset's
    /// UPDATE_COMPLETE, then train the next version with CreateProjectVersion.
    /// </summary>
    Task<int> AddReviewedFeedbackToDatasetAsync(string projectVersionArn, string datasetArn, CancellationToken cancellationToken = default);
}
