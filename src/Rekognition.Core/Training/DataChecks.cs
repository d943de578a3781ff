using System.Globalization;
using System.Security.Cryptography;
using Rekognition.Core.Models;
using Rekognition.Core.Validation;

namespace Rekognition.Core.Training;

/// <summary>
/// Checks of the usable training and test images made before training, beyond the service's validation: each finding
/// is a warning in the manifest summary and the evaluation report, never a reason not to train (the service would
/// train on the same data). Few images for a label; a label with far fewer images than the largest; the same image
/// (by content) in both the training and the test set; boxes smaller than the detector's smallest stride can see.
/// </summary>
internal static class DataChecks
{
    /// <summary>Fewer training images than this for a label is flagged.</summary>
    public const int MinImagesPerLabel = 10;

    /// <summary>A label whose training images are this many times fewer than the largest label's is flagged.</summary>
    public const int ImbalanceRatio = 10;

    /// <summary>The detector's smallest stride, in input pixels.</summary>
    public const int SmallestStride = 8;

    /// <summary>
    /// The smallest detector input the boxes are measured at (the built-in detector's side; a pretrained detector's is
    /// at least this), so a flagged box is smaller than the smallest stride at any input the trainers use.
    /// </summary>
    public const int SmallestInputSide = 256;

    /// <summary>Returns the warnings for <paramref name="examples"/>; images are read through <paramref name="open"/> to compare their contents.</summary>
    public static List<SummaryError> Run(TrainingExamples examples, Func<string, Stream> open, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var warnings = new List<SummaryError>();
        var counts = new int[examples.Labels.Count];
        foreach (var image in examples.Train)
        {
            foreach (var label in image.Labels.Distinct())
            {
                counts[label]++;
            }
        }

        var largest = counts.Length == 0 ? 0 : counts.Max();
        for (var l = 0; l < counts.Length; l++)
        {
            var name = examples.Labels[l];
            if (counts[l] < MinImagesPerLabel)
            {
                warnings.Add(new SummaryError("WARNING_FEW_IMAGES_FOR_LABEL", string.Create(CultureInfo.InvariantCulture,
                    $"The label '{name}' has {counts[l]} training image(s); with fewer than {MinImagesPerLabel} the model learns it poorly. Add images of it.")));
            }

            if (counts[l] * ImbalanceRatio < largest)
            {
                warnings.Add(new SummaryError("WARNING_LABEL_IMBALANCE", string.Create(CultureInfo.InvariantCulture,
                    $"The label '{name}' has {counts[l]} training image(s), over {ImbalanceRatio} times fewer than the largest label ({largest}); the model will favour the larger labels.")));
            }
        }

        if (examples.Kind == ModelKind.Detection)
        {
            var limit = (float)SmallestStride / SmallestInputSide;
            var small = new int[examples.Labels.Count];
            foreach (var box in examples.Train.Concat(examples.Test.Select(t => t.Image)).SelectMany(i => i.Boxes))
            {
                // Letterboxed, an image's longer side becomes the input's side, so a box's ratio of its own axis bounds its size at the input from above.
                if (Math.Max(box.Box.Width, box.Box.Height) < limit)
                {
                    small[box.Label]++;
                }
            }

            for (var l = 0; l < small.Length; l++)
            {
                if (small[l] > 0)
                {
                    warnings.Add(new SummaryError("WARNING_BOXES_SMALLER_THAN_STRIDE", string.Create(CultureInfo.InvariantCulture,
                        $"{small[l]} box(es) of the label '{examples.Labels[l]}' are under {SmallestStride} px at a {SmallestInputSide}-px detector input (its smallest stride); the detector will rarely find them.")));
                }
            }
        }

        var shared = SharedContents(examples, open, ct);
        if (shared.Count > 0)
        {
            warnings.Add(new SummaryError("WARNING_IMAGE_IN_TRAINING_AND_TESTING", string.Create(CultureInfo.InvariantCulture,
                $"{shared.Count} test image(s) have the same content as a training image (e.g. {shared[0]}); the evaluation overstates how the model does on new images.")));
        }

        return warnings;
    }

    // The test images whose SHA-256 matches a training image's (names of the test images, as their manifests give them).
    private static List<string> SharedContents(TrainingExamples examples, Func<string, Stream> open, CancellationToken ct)
    {
        var training = new HashSet<string>(StringComparer.Ordinal);
        foreach (var image in examples.Train)
        {
            ct.ThrowIfCancellationRequested();
            if (Hash(image.Path, open) is { } hash)
            {
                training.Add(hash);
            }
        }

        var shared = new List<string>();
        foreach (var test in examples.Test)
        {
            ct.ThrowIfCancellationRequested();
            if (Hash(test.Image.Path, open) is { } hash && training.Contains(hash))
            {
                shared.Add(test.SourceRef);
            }
        }

        return shared;
    }

    private static string? Hash(string path, Func<string, Stream> open)
    {
        try
        {
            using var stream = open(path);
            return Convert.ToHexString(SHA256.HashData(stream));
        }
        catch (IOException)
        {
            return null; // an unreadable image fails the training later, with the trainer's message
        }
    }
}
