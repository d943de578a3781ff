namespace Rekognition.S3.Objects;

/// <summary>
/// The keys an object store takes: relative, '/'-separated, no empty, "." or ".." segment, no backslash or NUL. A bucket's
/// own keys (s3:// locations of the caller's) are any non-empty string without NUL: S3 keys are not paths.
/// </summary>
internal static class ObjectKeys
{
    /// <summary>Whether s3://<paramref name="bucket"/>/<paramref name="key"/> names an object of the caller's buckets.</summary>
    public static bool IsLocation(string bucket, string key) =>
        !string.IsNullOrEmpty(bucket) && !string.IsNullOrEmpty(key) && !key.Contains('\0', StringComparison.Ordinal);

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
