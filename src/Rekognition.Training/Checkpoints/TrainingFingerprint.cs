using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Rekognition.Core.Training;

namespace Rekognition.Training.Checkpoints;

/// <summary>
/// A short hash naming one training job, so a checkpoint is only resumed by the job that wrote it: the kind,
/// the labels, every training image (path, labels, boxes, file size and time of last change), the backbone,
/// and the trainer's settings (any record's text form, which lists its values).
/// </summary>
internal static class TrainingFingerprint
{
    /// <summary>The fingerprint of <paramref name="job"/> trained with <paramref name="settings"/>.</summary>
    public static string Of(TrainingJob job, params object?[] settings)
    {
        ArgumentNullException.ThrowIfNull(job);
        // Records print their float members in the current culture: fix it so the hash does not depend on it.
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            return Hash(job, settings);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    private static string Hash(TrainingJob job, object?[] settings)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.Append(c, $"kind={job.Kind};labels={string.Join('\u001f', job.Labels)};backbone={job.Backbone};images={job.TrainImages.Count}\n");
        foreach (var image in job.TrainImages)
        {
            var file = new FileInfo(image.Path);
            var stamp = file.Exists ? $"{file.Length}@{file.LastWriteTimeUtc.Ticks}" : "missing";
            text.Append(c, $"{image.Path}|{string.Join(',', image.Labels)}|{stamp}");
            foreach (var box in image.Boxes)
            {
                text.Append(c, $"|{box.Label}:{box.Box.Left},{box.Box.Top},{box.Box.Width},{box.Box.Height}");
            }

            text.Append('\n');
        }

        foreach (var setting in settings)
        {
            text.Append(c, $"{setting}\n");
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
