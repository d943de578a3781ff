namespace Rekognition.Core.Storage.Confinement;

/// <summary>
/// Paths beneath a root as '/'-separated segments: none empty, none "." or "..", no NUL and no backslash,
/// so a segment is always one name in one folder on every system.
/// </summary>
internal static class RelativePath
{
    public static bool TrySplit(string? relative, out string[] segments)
    {
        segments = [];
        if (string.IsNullOrEmpty(relative) || relative.Contains('\0', StringComparison.Ordinal) || relative.Contains('\\', StringComparison.Ordinal))
        {
            return false;
        }

        var parts = relative.Split('/');
        foreach (var part in parts)
        {
            if (!IsSegment(part))
            {
                return false;
            }
        }

        segments = parts;
        return true;
    }

    public static string[] Split(string relative) =>
        TrySplit(relative, out var segments) ? segments : throw new ArgumentException($"'{relative}' is not a path beneath a root: empty, '.' and '..' segments, backslashes and NUL are refused.", nameof(relative));

    public static bool IsSegment(string part) =>
        part.Length is > 0 and <= 255 && part is not ("." or "..") && !part.Contains('/', StringComparison.Ordinal)
        && !part.Contains('\\', StringComparison.Ordinal) && !part.Contains('\0', StringComparison.Ordinal)
        && (!OperatingSystem.IsWindows() || part.AsSpan().IndexOfAny(WindowsReserved) < 0);

    private static readonly System.Buffers.SearchValues<char> WindowsReserved = System.Buffers.SearchValues.Create(":*?\"<>|");
}
