using System.Globalization;
using System.Text;

namespace Rekognition.Core.Tests.TestSupport;

/// <summary>Ground Truth JSON lines for tests, written out literally so each test shows its input.</summary>
internal static class ManifestLines
{
    public static string Classification(string sourceRef, params string[] labels)
    {
        var sb = new StringBuilder();
        sb.Append("{\"source-ref\":\"").Append(sourceRef).Append('"');
        for (var i = 0; i < labels.Length; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $",\"label{i}\":{i},\"label{i}-metadata\":{{\"confidence\":1,\"job-name\":\"labeling-job/test\",\"class-name\":\"{labels[i]}\",\"human-annotated\":\"yes\",\"creation-date\":\"2024-05-02T08:15:30.125\",\"type\":\"groundtruth/image-classification\"}}");
        }

        return sb.Append('}').ToString();
    }

    /// <summary>A bounding-box line on a 640x480 image; each box is (label, left, top, width, height).</summary>
    public static string Detection(string sourceRef, params (string Label, int Left, int Top, int Width, int Height)[] boxes)
    {
        var classes = boxes.Select(b => b.Label).Distinct().ToList();
        var annotations = string.Join(",", boxes.Select(b =>
            $"{{\"class_id\":{classes.IndexOf(b.Label)},\"left\":{b.Left},\"top\":{b.Top},\"width\":{b.Width},\"height\":{b.Height}}}"));
        var objects = string.Join(",", boxes.Select(_ => "{\"confidence\":1}"));
        var classMap = string.Join(",", classes.Select((c, i) => $"\"{i}\":\"{c}\""));
        return $"{{\"source-ref\":\"{sourceRef}\",\"bounding-box\":{{\"image_size\":[{{\"width\":640,\"height\":480,\"depth\":3}}],\"annotations\":[{annotations}]}}," +
               $"\"bounding-box-metadata\":{{\"objects\":[{objects}],\"class-map\":{{{classMap}}},\"type\":\"groundtruth/object-detection\",\"human-annotated\":\"yes\",\"creation-date\":\"2024-05-02T08:15:30\",\"job-name\":\"boxes\"}}}}";
    }

    public static string Unlabelled(string sourceRef) => $"{{\"source-ref\":\"{sourceRef}\"}}";

    public static string Join(IEnumerable<string> lines) => string.Join("\n", lines) + "\n";
}
