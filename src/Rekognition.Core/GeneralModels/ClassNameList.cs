using Rekognition.Core.Model;

namespace Rekognition.Core.GeneralModels;

/// <summary>
/// Reads a classifier's class names: trimmed, blank lines skipped. Label names must be distinct, and real
/// lists repeat some (ImageNet has two "crane" and two "maillot" classes), so a repeated name gets its
/// output index: <c>crane (517)</c>.
/// </summary>
internal static class ClassNameList
{
    public static List<string> Read(IEnumerable<string> names, int maxLength)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in names)
        {
            var name = raw.Trim();
            if (name.Length == 0)
            {
                continue;
            }

            if (!seen.Add(name))
            {
                name = $"{name} ({result.Count})";
                seen.Add(name);
            }

            if (name.Length > maxLength)
            {
                throw new InvalidParameterException($"Class name '{name[..40]}...' (index {result.Count}) is longer than {maxLength} characters.");
            }

            result.Add(name);
        }

        return result;
    }
}
