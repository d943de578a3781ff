namespace Rekognition.Core.Tests.TestSupport;

/// <summary>Small Ground Truth JSON lines for tests.</summary>
public static class GroundTruthLines
{
    public static string Classification(string sourceRef, string label, string attribute = "label") =>
        "{\"source-ref\":\"" + sourceRef + "\",\"" + attribute + "\":1,\"" + attribute + "-metadata\":{\"confidence\":1,\"job-name\":\"j\",\"class-name\":\"" + label
        + "\",\"human-annotated\":\"yes\",\"creation-date\":\"2024-05-02T08:15:30\",\"type\":\"groundtruth/image-classification\"}}";

    public static string MultiLabel(string sourceRef, params string[] labels) =>
        "{\"source-ref\":\"" + sourceRef + "\"" + string.Concat(labels.Select((l, i) =>
            $$""","flower{{i}}":{{i}},"flower{{i}}-metadata":{"confidence":1,"class-name":"{{l}}","human-annotated":"yes","creation-date":"2024-05-02T08:15:30","type":"groundtruth/image-classification"}""")) + "}";

    /// <summary>A box line; each box is (classId, left, top, width, height); the class map maps each id to "c{id}".</summary>
    public static string Boxes(string sourceRef, int width, int height, params (int ClassId, double Left, double Top, double Width, double Height)[] boxes)
    {
        var annotations = string.Join(",", boxes.Select(b => FormattableString.Invariant($$"""{"class_id":{{b.ClassId}},"left":{{b.Left}},"top":{{b.Top}},"width":{{b.Width}},"height":{{b.Height}}}""")));
        var objects = string.Join(",", boxes.Select(_ => """{"confidence":1}"""));
        var classMap = string.Join(",", boxes.Select(b => b.ClassId).Distinct().Select(id => $"\"{id}\":\"c{id}\""));
        return $$"""{"source-ref":"{{sourceRef}}","bounding-box":{"image_size":[{"width":{{width}},"height":{{height}},"depth":3}],"annotations":[{{annotations}}]},"bounding-box-metadata":{"objects":[{{objects}}],"class-map":{"""
            + classMap + """},"type":"groundtruth/object-detection","human-annotated":"yes","creation-date":"2024-05-02T08:15:30","job-name":"boxes"}}""";
    }
}
