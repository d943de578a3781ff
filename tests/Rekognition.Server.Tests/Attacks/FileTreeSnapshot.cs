using System.Security.Cryptography;

namespace Rekognition.Server.Tests.Attacks;

/// <summary>
/// Every entry under a folder (symbolic links not followed): its kind, link target, size, last write time and content
/// hash, so that two snapshots differ when anything was created, removed, replaced or changed.
/// </summary>
internal sealed class FileTreeSnapshot
{
    private readonly SortedDictionary<string, string> _entries = new(StringComparer.Ordinal);

    private FileTreeSnapshot()
    {
    }

    /// <summary>Takes the snapshot of <paramref name="root"/>, leaving out the top-level entries named in <paramref name="excluded"/>.</summary>
    public static FileTreeSnapshot Take(string root, params string[] excluded)
    {
        var snapshot = new FileTreeSnapshot();
        snapshot.Walk(root, root, excluded);
        return snapshot;
    }

    /// <summary>The entries that differ from <paramref name="before"/> (added, removed or changed), one line each.</summary>
    public IReadOnlyList<string> ChangesSince(FileTreeSnapshot before)
    {
        var changes = new List<string>();
        foreach (var (path, state) in _entries)
        {
            if (!before._entries.TryGetValue(path, out var old))
            {
                changes.Add($"created {path} ({state})");
            }
            else if (old != state)
            {
                changes.Add($"changed {path}: {old} -> {state}");
            }
        }

        changes.AddRange(before._entries.Keys.Where(p => !_entries.ContainsKey(p)).Select(p => $"removed {p}"));
        return changes;
    }

    public int Count => _entries.Count;

    private void Walk(string root, string folder, string[] excluded)
    {
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            var relative = Path.GetRelativePath(root, entry.FullName);
            if (folder == root && excluded.Contains(entry.Name, StringComparer.Ordinal))
            {
                continue;
            }

            if (entry.LinkTarget is { } target)
            {
                _entries[relative] = $"link -> {target}";
            }
            else if (entry is DirectoryInfo)
            {
                _entries[relative] = $"folder {entry.LastWriteTimeUtc.Ticks}";
                Walk(root, entry.FullName, excluded);
            }
            else
            {
                var file = (FileInfo)entry;
                using var stream = file.OpenRead();
                _entries[relative] = $"file {file.Length} bytes {file.LastWriteTimeUtc.Ticks} {Convert.ToHexString(SHA256.HashData(stream))}";
            }
        }
    }
}
