namespace Rekognition.S3.Objects;

/// <summary>The keys an object store takes: relative, '/'-separated, no empty, "." or ".." segment, no backslash or NUL.</summary>
internal static class ObjectKeys
{
    public static bool IsKey(string? key) =>
        !string.IsNullOrEmpty(key)
        && !key.Contains('\\', StringComparison.Ordinal)
        && !key.Contains('\0', StringComparison.Ordinal)
        && key.Split('/').All(segment => segment.Length > 0 && segment is not "." and not "..");

    public static void Check(string key)
    {
        if (!IsKey(key))
        {
            throw new ArgumentException($"'{key}' is not an object key: empty, '.' and '..' segments, backslashes and NUL are refused.", nameof(key));
        }
    }
}
