using System.Text.RegularExpressions;

namespace Rekognition.Core.Catalog;

/// <summary>
/// Catalogs before schema 3 kept a version's package as an absolute local path; now it is an object key
/// (<c>models/&lt;project&gt;/&lt;version&gt;-&lt;created&gt;</c>). This turns what a row holds into a key: a key as is, a path
/// beneath the store root into its key, and a path of a store that was moved since into the key its tail names.
/// </summary>
internal static partial class ArtifactKeys
{
    public static string? FromStored(string? stored, string storeRoot)
    {
        if (string.IsNullOrEmpty(stored) || !(Path.IsPathRooted(stored) || stored.Contains('\\', StringComparison.Ordinal)))
        {
            return stored;
        }

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(storeRoot));
        var full = Path.TrimEndingDirectorySeparator(stored);
        if (full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return full[(root.Length + 1)..].Replace(Path.DirectorySeparatorChar, '/');
        }

        var moved = MovedStoreTail().Match(full);
        return moved.Success ? $"models/{moved.Groups[1].Value}/{moved.Groups[2].Value}" : stored;
    }

    // The store's own folder names: models/<project id>/<version id>-<created ms> or import-<created ms>-<guid>.
    [GeneratedRegex(@"[\\/]models[\\/](\d+)[\\/](\d+-\d+|import-\d+-[0-9a-f]{32})$", RegexOptions.CultureInvariant)]
    private static partial Regex MovedStoreTail();
}
