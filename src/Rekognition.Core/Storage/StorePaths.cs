using System.Globalization;

namespace Rekognition.Core.Storage;

/// <summary>
/// The folders the store keeps for model versions, built only from the ids and times the catalog makes (never from
/// project or version names, which may be "." or ".."), each checked to lie under the store root.
/// </summary>
internal sealed class StorePaths
{
    private readonly string _root;

    public StorePaths(string storeRoot)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(storeRoot));
    }

    /// <summary>A version's model package.</summary>
    public string ModelDirectory(long projectId, long versionId, long createdMs) =>
        Under("models", Id(projectId), $"{Id(versionId)}-{Id(createdMs)}");

    /// <summary>A model package imported before its version row exists: a new unique folder.</summary>
    public string ImportedModelDirectory(long projectId, long createdMs) =>
        Under("models", Id(projectId), $"import-{Id(createdMs)}-{Guid.NewGuid():N}");

    /// <summary>A version's training scratch folder (trainer checkpoint, staged output files).</summary>
    public string TrainingDirectory(long projectId, long versionId, long createdMs) =>
        Under("training", Id(projectId), $"{Id(versionId)}-{Id(createdMs)}");

    private static string Id(long value) => value.ToString(CultureInfo.InvariantCulture);

    private string Under(params string[] parts)
    {
        var full = Path.GetFullPath(Path.Combine([_root, .. parts]));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("A store folder would lie outside the store root.");
        }

        return full;
    }
}
