using Rekognition.Core.Manifests;

namespace Rekognition.Core.Feedback;

/// <summary>
/// Turns reviewed feedback into Ground Truth lines for UpdateDatasetEntries: image-level labels for
/// classification models, a bounding-box attribute (boxes in pixels) for object-location models. A person
/// checked each label, so each is human-annotated with confidence 1.
/// </summary>
internal static class FeedbackManifest
{
    public const string JobName = "custom-labels-feedback-review";

    public static void Write(GroundTruthManifestWriter writer, FeedbackRecord record, DateTime reviewedAt)
    {
        var labels = record.Reviewed ?? throw new InvalidOperationException("Only reviewed feedback becomes a manifest line.");
        var created = new ManifestTimestamp(reviewedAt);
        if (!record.IsObjectLocation)
        {
            var imageLabels = labels.Select((l, i) => new ImageLabel(labels.Count == 1 ? "feedback-label" : $"feedback-label-{i}", l.Name, created)
            {
                JobName = JobName,
                HumanAnnotated = true,
                Confidence = 1,
            }).ToArray();
            writer.WriteLine(record.SourceRef, imageLabels, null);
            return;
        }

        var classes = labels.Select(l => l.Name).Distinct(StringComparer.Ordinal).ToList();
        var boxes = new ImageBoundingBoxes
        {
            AttributeName = "bounding-box",
            ImageWidth = record.Width,
            ImageHeight = record.Height,
            ClassNames = classes.Select((name, id) => (name, id)).ToDictionary(c => c.id, c => c.name),
            Annotations = labels.Select(l => new BoundingBoxAnnotation(
                classes.IndexOf(l.Name),
                Math.Round(l.Box!.Left!.Value * record.Width),
                Math.Round(l.Box.Top!.Value * record.Height),
                Math.Round(l.Box.Width!.Value * record.Width),
                Math.Round(l.Box.Height!.Value * record.Height))).ToArray(),
            JobName = JobName,
            HumanAnnotated = true,
            CreationDate = created,
        };
        writer.WriteLine(record.SourceRef, ReadOnlySpan<ImageLabel>.Empty, boxes);
    }
}
