namespace Rekognition.Core.Storage;

/// <summary>How a <c>source-ref</c> value was understood.</summary>
public enum SourceRefStatus
{
    /// <summary>It names a file inside the allowed roots.</summary>
    Resolved,

    /// <summary>Its form is not one that is accepted (<c>ERROR_INVALID_SOURCE_REF_FORMAT</c>).</summary>
    InvalidFormat,

    /// <summary>It resolves outside every allowed root: treated as an object the caller cannot access.</summary>
    OutsideRoots,
}

/// <summary>The outcome of resolving one <c>source-ref</c>.</summary>
/// <param name="Status">Whether it resolved.</param>
/// <param name="LocalPath">The full local path when resolved.</param>
/// <param name="Bucket">The bucket (for <c>s3://</c>) or the root folder the path lies in: images of one manifest must share it.</param>
/// <param name="Reason">Why it did not resolve, for messages.</param>
public readonly record struct ResolvedSourceRef(SourceRefStatus Status, string? LocalPath, string? Bucket, string? Reason)
{
    public bool IsResolved => Status == SourceRefStatus.Resolved;
}

/// <summary>
/// Maps <c>source-ref</c> values to local files: <c>s3://bucket/key</c> lies under the buckets root,
/// <c>file://</c> URIs and plain paths must lie inside the buckets root or an extra allowed root.
/// Anything that escapes the roots (<c>..</c>, absolute paths elsewhere, symbolic links out) is refused,
/// as the service refuses an object the caller has no access to.
/// </summary>
public sealed class SourceRefResolver
{
    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private readonly string _bucketsRoot;
    private readonly string[] _roots;
    private readonly string[] _physicalRoots;
    private readonly Dictionary<string, string> _physicalDirectoryCache = new(StringComparer.Ordinal);
    private readonly Lock _cacheLock = new();

    public SourceRefResolver(RekognitionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bucketsRoot = NormalizeRoot(options.ResolvedBucketsRoot);
        _roots = new[] { _bucketsRoot }
            .Concat(options.AllowedImageRoots.Where(r => !string.IsNullOrWhiteSpace(r)).Select(NormalizeRoot))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        _physicalRoots = _roots.Select(r => NormalizeRoot(PhysicalPath(r))).ToArray();
    }

    /// <summary>The folder standing for S3.</summary>
    public string BucketsRoot => _bucketsRoot;

    /// <summary>The local path of <c>s3://bucket/key</c>, without checking that it exists.</summary>
    public string S3Path(string bucket, string key) => Path.GetFullPath(Path.Combine(_bucketsRoot, bucket, key.TrimStart('/')));

    /// <summary>
    /// Resolves <paramref name="sourceRef"/> lexically (no file-system access). Relative paths are taken
    /// from <paramref name="baseDirectory"/> (the manifest's folder) when there is one.
    /// </summary>
    public ResolvedSourceRef Resolve(string sourceRef, string? baseDirectory = null)
    {
        if (string.IsNullOrWhiteSpace(sourceRef))
        {
            return new(SourceRefStatus.InvalidFormat, null, null, "source-ref is empty");
        }

        if (sourceRef.StartsWith("s3://", StringComparison.Ordinal))
        {
            return ResolveS3(sourceRef);
        }

        string candidate;
        if (sourceRef.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(sourceRef, UriKind.Absolute, out var uri) || !uri.IsFile || !string.IsNullOrEmpty(uri.Host) && !uri.IsUnc)
            {
                return new(SourceRefStatus.InvalidFormat, null, null, "not a valid file:// URI");
            }

            candidate = uri.LocalPath;
        }
        else if (sourceRef.Contains("://", StringComparison.Ordinal))
        {
            return new(SourceRefStatus.InvalidFormat, null, null, "unsupported scheme: use s3://bucket/key, file:// or a path");
        }
        else if (Path.IsPathFullyQualified(sourceRef))
        {
            candidate = sourceRef;
        }
        else if (baseDirectory is not null)
        {
            candidate = Path.Combine(baseDirectory, sourceRef);
        }
        else
        {
            return new(SourceRefStatus.InvalidFormat, null, null, "a relative path needs a manifest folder to resolve against");
        }

        if (candidate.Contains('\0', StringComparison.Ordinal))
        {
            return new(SourceRefStatus.InvalidFormat, null, null, "the path contains a NUL character");
        }

        var full = Path.GetFullPath(candidate);
        var root = RootOf(full, _roots);
        return root is null
            ? new(SourceRefStatus.OutsideRoots, full, null, "the path lies outside the buckets root and the allowed image roots")
            : new(SourceRefStatus.Resolved, full, root, null);
    }

    /// <summary>
    /// Whether a resolved path is still inside an allowed root once symbolic links are followed.
    /// This touches the file system, so it runs only when images are opened.
    /// </summary>
    public bool IsPhysicallyInsideRoots(string fullPath)
    {
        var physical = PhysicalPath(fullPath);
        return RootOf(physical, _physicalRoots) is not null;
    }

    private ResolvedSourceRef ResolveS3(string sourceRef)
    {
        var rest = sourceRef.AsSpan(5);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1)
        {
            return new(SourceRefStatus.InvalidFormat, null, null, "expected s3://bucket/key");
        }

        var bucket = rest[..slash].ToString();
        var key = rest[(slash + 1)..].ToString();
        if (bucket.Length is < 3 or > 255 || !bucket.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') || bucket is "." or "..")
        {
            return new(SourceRefStatus.InvalidFormat, null, null, $"'{bucket}' is not a valid bucket name");
        }

        if (key.Contains('\0', StringComparison.Ordinal) || key.Contains('\\', StringComparison.Ordinal))
        {
            return new(SourceRefStatus.InvalidFormat, null, null, "the object key contains a character that cannot name a local file");
        }

        var bucketRoot = NormalizeRoot(Path.Combine(_bucketsRoot, bucket));
        var full = Path.GetFullPath(Path.Combine(bucketRoot, key));
        return IsUnder(full, bucketRoot)
            ? new(SourceRefStatus.Resolved, full, bucket, null)
            : new(SourceRefStatus.OutsideRoots, full, bucket, "the object key escapes its bucket");
    }

    private static string? RootOf(string fullPath, string[] roots)
    {
        foreach (var root in roots)
        {
            if (IsUnder(fullPath, root))
            {
                return root;
            }
        }

        return null;
    }

    private static bool IsUnder(string fullPath, string rootWithSeparator) =>
        fullPath.Length > rootWithSeparator.Length && fullPath.StartsWith(rootWithSeparator, PathComparison);

    private static string NormalizeRoot(string root)
    {
        var full = Path.GetFullPath(root);
        return Path.EndsInDirectorySeparator(full) ? full : full + Path.DirectorySeparatorChar;
    }

    /// <summary>The path with every symbolic link along it followed (what <c>realpath</c> gives).</summary>
    private string PhysicalPath(string fullPath)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(Path.GetFullPath(fullPath));
        var parent = Path.GetDirectoryName(trimmed);
        var name = Path.GetFileName(trimmed);
        var physicalParent = parent is null ? trimmed : PhysicalDirectory(parent);
        var joined = parent is null ? trimmed : Path.Combine(physicalParent, name);
        return FollowLink(joined);
    }

    private string PhysicalDirectory(string directory)
    {
        lock (_cacheLock)
        {
            if (_physicalDirectoryCache.TryGetValue(directory, out var cached))
            {
                return cached;
            }
        }

        var parent = Path.GetDirectoryName(directory);
        var result = parent is null
            ? directory
            : FollowLink(Path.Combine(PhysicalDirectory(parent), Path.GetFileName(directory)));
        lock (_cacheLock)
        {
            _physicalDirectoryCache[directory] = result;
        }

        return result;
    }

    private static string FollowLink(string path)
    {
        try
        {
            FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
            if (info.LinkTarget is null)
            {
                return path;
            }

            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            return target is null ? path : Path.GetFullPath(target.FullName);
        }
        catch (IOException)
        {
            return path;
        }
        catch (UnauthorizedAccessException)
        {
            return path;
        }
    }
}
