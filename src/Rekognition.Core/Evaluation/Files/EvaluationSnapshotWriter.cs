using System.Text.Json;

namespace Rekognition.Core.Evaluation;

/// <summary>
/// Writes the evaluation manifest snapshot: one JSON line per test image with its ground truth re-emitted under
/// <c>rekognition-custom-labels-training-N</c> and the model's results as <c>rekognition-custom-labels-evaluation</c>
/// attributes carrying <c>rekognition-custom-labels-evaluation-details</c>.
/// </summary>
/// <remarks>
/// Which results are written: every prediction at or above its label's threshold (true/false positive), every
/// prediction below it that matches the ground truth (false negative), each ground-truth item no prediction matched
/// (false negative, confidence 0, with the ground-truth box), and for classification also the image's top prediction
/// even when it is a true negative. Classification writes one <c>rekognition-custom-labels-evaluation-N</c> attribute
/// per result; detection writes them all as the boxes of one <c>rekognition-custom-labels-evaluation</c> attribute.
/// </remarks>
internal static class EvaluationSnapshotWriter
{
    /// <summary>Job name of the re-emitted ground truth.</summary>
    public const string TrainingJobName = "rekognition-custom-labels-training-job";

    /// <summary>Job name of the model's results.</summary>
    public const string EvaluationJobName = "rekognition-custom-labels-evaluation-job";

    private const string TrainingAttribute = "rekognition-custom-labels-training-";
    private const string EvaluationAttribute = "rekognition-custom-labels-evaluation";
    private const string DetailsAttribute = "rekognition-custom-labels-evaluation-details";
    private const string MetadataSuffix = "-metadata";

    /// <summary>
    /// Writes the snapshot as JSON Lines. Each image's <see cref="EvaluationImage.GroundTruthManifestLine"/> supplies the
    /// ground truth to re-emit (its label attributes are those with a <c>-metadata</c> companion); an image without
    /// one gets only its <c>source-ref</c> and results.
    /// </summary>
    public static void Write(Stream destination, ModelEvaluation evaluation, DateTime creationDate)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        string created = EvaluationSummaryWriter.FormatTimestamp(creationDate);
        var options = new JsonWriterOptions { Indented = false, SkipValidation = false };
        for (int i = 0; i < evaluation.NumberOfTestingImages; i++)
        {
            using (var writer = new Utf8JsonWriter(destination, options))
            {
                WriteLine(writer, evaluation, i, created);
            }

            destination.WriteByte((byte)'\n');
        }

        destination.Flush();
    }

    private static void WriteLine(Utf8JsonWriter writer, ModelEvaluation evaluation, int imageIndex, string created)
    {
        EvaluationImage image = evaluation.Input.Images[imageIndex];
        writer.WriteStartObject();
        if (image.GroundTruthManifestLine is { } line)
        {
            WriteGroundTruth(writer, line);
        }
        else
        {
            writer.WriteString("source-ref", image.SourceRef);
        }

        List<EvaluatedItem> items = SelectItems(evaluation, imageIndex);
        if (evaluation.TaskType == EvaluationTaskType.ObjectDetection)
        {
            WriteDetection(writer, evaluation, image, items, created);
        }
        else
        {
            WriteClassification(writer, evaluation, items, created);
        }

        writer.WriteEndObject();
    }

    // Copies the original line, renaming each label attribute (one with a "-metadata" companion) to training-N.
    private static void WriteGroundTruth(Utf8JsonWriter writer, string line)
    {
        using var document = JsonDocument.Parse(line);
        JsonElement root = document.RootElement;
        int attributeIndex = 0;
        foreach (JsonProperty property in root.EnumerateObject())
        {
            string name = property.Name;
            if (name.EndsWith(MetadataSuffix, StringComparison.Ordinal) &&
                root.TryGetProperty(name[..^MetadataSuffix.Length], out _))
            {
                continue; // written right after its attribute
            }

            if (name != "source-ref" && root.TryGetProperty(name + MetadataSuffix, out JsonElement metadata))
            {
                string renamed = TrainingAttribute + attributeIndex++;
                writer.WritePropertyName(renamed);
                property.Value.WriteTo(writer);
                writer.WriteStartObject(renamed + MetadataSuffix);
                foreach (JsonProperty field in metadata.EnumerateObject())
                {
                    switch (field.Name)
                    {
                        case "job-name":
                            writer.WriteString("job-name", TrainingJobName);
                            break;
                        case "human-annotated":
                            writer.WriteString("human-annotated", "yes");
                            break;
                        default:
                            field.WriteTo(writer);
                            break;
                    }
                }

                writer.WriteEndObject();
                continue;
            }

            property.WriteTo(writer);
        }
    }

    private static List<EvaluatedItem> SelectItems(ModelEvaluation evaluation, int imageIndex)
    {
        IReadOnlyList<EvaluatedItem> all = evaluation.GetImageOutcomes(imageIndex);
        var selected = new List<EvaluatedItem>(all.Count);
        bool classification = evaluation.TaskType == EvaluationTaskType.ImageClassification;
        for (int k = 0; k < all.Count; k++)
        {
            // Outcomes list predictions by descending confidence, so k == 0 is the top prediction.
            bool topPrediction = classification && k == 0 && all[k].IsPrediction;
            if (all[k].Outcome != EvaluationOutcome.TrueNegative || topPrediction)
            {
                selected.Add(all[k]);
            }
        }

        return selected;
    }

    private static void WriteClassification(Utf8JsonWriter writer, ModelEvaluation evaluation, List<EvaluatedItem> items, string created)
    {
        for (int n = 0; n < items.Count; n++)
        {
            EvaluatedItem item = items[n];
            string attribute = $"{EvaluationAttribute}-{n}";
            writer.WriteNumber(attribute, item.LabelIndex);
            writer.WriteStartObject(attribute + MetadataSuffix);
            writer.WriteNumber("confidence", item.Confidence);
            writer.WriteString("job-name", EvaluationJobName);
            writer.WriteString("class-name", evaluation.Input.Labels[item.LabelIndex]);
            writer.WriteString("human-annotated", "no");
            writer.WriteString("creation-date", created);
            writer.WriteString("type", "groundtruth/image-classification");
            WriteDetails(writer, item);
            writer.WriteEndObject();
        }
    }

    private static void WriteDetection(Utf8JsonWriter writer, ModelEvaluation evaluation, EvaluationImage image, List<EvaluatedItem> items, string created)
    {
        writer.WriteStartObject(EvaluationAttribute);
        writer.WriteStartArray("annotations");
        foreach (EvaluatedItem item in items)
        {
            writer.WriteStartObject();
            writer.WriteNumber("class_id", item.LabelIndex);
            writer.WriteNumber("left", (int)MathF.Round(item.Box.Left));
            writer.WriteNumber("top", (int)MathF.Round(item.Box.Top));
            writer.WriteNumber("width", (int)MathF.Round(item.Box.Width));
            writer.WriteNumber("height", (int)MathF.Round(item.Box.Height));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("image_size");
        writer.WriteStartObject();
        writer.WriteNumber("width", image.Width);
        writer.WriteNumber("height", image.Height);
        writer.WriteNumber("depth", 3);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();

        float imageConfidence = 0;
        var classMap = new SortedDictionary<int, string>();
        foreach (EvaluatedItem item in items)
        {
            imageConfidence = Math.Max(imageConfidence, item.Confidence);
            classMap[item.LabelIndex] = evaluation.Input.Labels[item.LabelIndex];
        }

        writer.WriteStartObject(EvaluationAttribute + MetadataSuffix);
        writer.WriteNumber("confidence", imageConfidence);
        writer.WriteString("job-name", EvaluationJobName);
        writer.WriteStartObject("class-map");
        foreach (KeyValuePair<int, string> entry in classMap)
        {
            writer.WriteString(entry.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.Value);
        }

        writer.WriteEndObject();
        writer.WriteString("human-annotated", "no");
        writer.WriteStartArray("objects");
        foreach (EvaluatedItem item in items)
        {
            writer.WriteStartObject();
            writer.WriteNumber("confidence", item.Confidence);
            WriteDetails(writer, item);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("creation-date", created);
        writer.WriteString("type", "groundtruth/object-detection");
        writer.WriteEndObject();
    }

    private static void WriteDetails(Utf8JsonWriter writer, EvaluatedItem item)
    {
        writer.WriteStartObject(DetailsAttribute);
        writer.WriteNumber("version", 1);
        writer.WriteStartArray("ground-truth-labelling-jobs");
        writer.WriteStringValue(TrainingJobName);
        writer.WriteEndArray();
        writer.WriteBoolean("is-true-positive", item.Outcome == EvaluationOutcome.TruePositive);
        writer.WriteBoolean("is-true-negative", item.Outcome == EvaluationOutcome.TrueNegative);
        writer.WriteBoolean("is-false-positive", item.Outcome == EvaluationOutcome.FalsePositive);
        writer.WriteBoolean("is-false-negative", item.Outcome == EvaluationOutcome.FalseNegative);
        writer.WriteBoolean("is-present-in-ground-truth", item.IsPresentInGroundTruth);
        writer.WriteEndObject();
    }
}
