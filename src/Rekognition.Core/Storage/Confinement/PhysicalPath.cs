namespace Rekognition.Core.Storage.Confinement;

/// <summary>
/// Follows every symbolic link of a path the way the kernel does (a link's target first, then any ".." after it),
/// without a cache: for systems without <c>openat2</c> or <c>/proc/self/fd</c>.
/// </summary>
internal static class PhysicalPath
{
    private const int MaxLinks = 40;

    public static string Resolve(string path)
    {
        var links = 0;
        return Walk(Path.GetPathRoot(Path.GetFullPath(path))!, Parts(Path.GetFullPath(path)), ref links);
    }

    public static bool IsBeneath(string path, string root)
    {
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var withSeparator = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        return string.Equals(path, root, comparison) || path.StartsWith(withSeparator, comparison);
    }

    private static string Walk(string current, IEnumerable<string> parts, ref int links)
    {
        foreach (var part in parts)
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Combine(current, part);
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                target = null;
            }

            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new IOException("Too many levels of symbolic links.");
            }

            // The target's own parts are walked from the link's folder (or from the root for an absolute target), physically.
            current = Path.IsPathRooted(target)
                ? Walk(Path.GetPathRoot(target)!, Parts(target), ref links)
                : Walk(current, Parts(target), ref links);
        }

        return current;
    }

    private static string[] Parts(string path) =>
        path[(Path.GetPathRoot(path)?.Length ?? 0)..].Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]);
}
