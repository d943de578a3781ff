using Rekognition.Core.Feedback;

namespace Rekognition.Core.Catalog;

/// <summary>Feedback recording in the catalog: which versions record, and the recorded images with their predictions and reviews.</summary>
public interface IFeedbackCatalog
{
    /// <summary>Whether <paramref name="versionArn"/> records (cheap: asked once per detection).</summary>
    bool IsRecording(string versionArn);

    /// <summary>Switches recording of <paramref name="versionArn"/> on or off.</summary>
    void SetRecording(string versionArn, bool enabled);

    /// <summary>Records one detection's image and predictions, pending review; returns the record's id.</summary>
    long Insert(string versionArn, string sourceRef, int width, int height, bool objectLocation, long recordedMs, List<FeedbackLabel> predictions);

    /// <summary>The record with that id; null when there is none.</summary>
    FeedbackRecord? Find(long id);

    /// <summary>A version's records in the order they were made, optionally only those in <paramref name="status"/>.</summary>
    List<FeedbackRecord> List(string versionArn, string? status);

    /// <summary>Records a review; false when the record was already added to a dataset.</summary>
    bool TryReview(long id, string status, List<FeedbackLabel>? reviewed, long reviewedMs);

    /// <summary>Marks records as added to a dataset, in one transaction.</summary>
    void MarkAdded(IEnumerable<long> ids, string datasetArn);
}
