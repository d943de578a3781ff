namespace Rekognition.Core.Storage;

/// <summary>Takes machine paths out of messages meant for callers: a path under a root becomes its public name.</summary>
internal static class MachinePaths
{
    /// <summary>Replaces each root (as given and as a full path) with its public name; longer roots first, so nested roots keep their own names.</summary>
    public static string Hide(string message, params (string Root, string PublicName)[] roots)
    {
        ArgumentNullException.ThrowIfNull(message);
        var replacements = roots
            .SelectMany(r => new[] { (Path.TrimEndingDirectorySeparator(r.Root), r.PublicName), (Path.TrimEndingDirectorySeparator(Path.GetFullPath(r.Root)), r.PublicName) })
            .Where(r => r.Item1.Length > 1)
            .Distinct()
            .OrderByDescending(r => r.Item1.Length);
        foreach (var (root, name) in replacements)
        {
            message = message.Replace(root, name, StringComparison.Ordinal);
        }

        return message;
    }
}
