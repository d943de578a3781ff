namespace Rekognition.Core.Conversion;

/// <summary>
/// Builds <c>source-ref</c> values for converters: an image under an <c>s3://</c> prefix stays an S3 URI;
/// a local file becomes <c>s3://bucket/key</c> when it lies under the buckets root (so manifests stay
/// portable to the service) and a <c>file://</c> URI otherwise.
/// </summary>
internal sealed class SourceRefBuilder
{
    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private readonly string? _bucketsRoot;

    public SourceRefBuilder(string? bucketsRoot)
    {
        _bucketsRoot = string.IsNullOrWhiteSpace(bucketsRoot) ? null : WithSeparator(Path.GetFullPath(bucketsRoot));
    }

    public static bool IsS3(string value) => value.StartsWith("s3://", StringComparison.Ordinal);

    public static bool IsFileUri(string value) => value.StartsWith("file://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a value already names an image on its own (no prefix needed).</summary>
    public static bool IsAbsolute(string value) => IsS3(value) || IsFileUri(value) || Path.IsPathFullyQualified(value);

    /// <summary>
    /// Joins <paramref name="prefix"/> (an <c>s3://</c> prefix, a <c>file://</c> folder URI or a local folder)
    /// and a relative image name (forward or back slashes).
    /// </summary>
    public string Join(string prefix, string relativeName)
    {
        var name = relativeName.Replace('\\', '/').TrimStart('/');
        if (IsS3(prefix))
        {
            return prefix.EndsWith('/') ? prefix + name : prefix + "/" + name;
        }

        var folder = IsFileUri(prefix) ? new Uri(prefix).LocalPath : prefix;
        return FromLocalPath(Path.Combine(folder, name.Replace('/', Path.DirectorySeparatorChar)));
    }

    /// <summary>Turns an absolute value (S3 URI, file URI or local path) into a <c>source-ref</c>.</summary>
    public string FromAbsolute(string value) =>
        IsS3(value) ? value : FromLocalPath(IsFileUri(value) ? new Uri(value).LocalPath : value);

    /// <summary>A local file as <c>s3://bucket/key</c> under the buckets root, else as a <c>file://</c> URI.</summary>
    public string FromLocalPath(string path)
    {
        var full = Path.GetFullPath(path);
        if (_bucketsRoot is not null && full.Length > _bucketsRoot.Length && full.StartsWith(_bucketsRoot, PathComparison))
        {
            var relative = full[_bucketsRoot.Length..].Replace(Path.DirectorySeparatorChar, '/');
            var slash = relative.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && slash < relative.Length - 1)
            {
                return "s3://" + relative;
            }
        }

        return new Uri(full).AbsoluteUri;
    }

    private static string WithSeparator(string path) => Path.EndsInDirectorySeparator(path) ? path : path + Path.DirectorySeparatorChar;
}
