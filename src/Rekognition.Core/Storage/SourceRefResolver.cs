using Rekognition.Core.Storage.Confinement;

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
    /// <summary>Whether the reference resolved to a readable location.</summary>
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
    private readonly ConfinedDirectory[] _confined;
    private readonly IBucketStore? _remoteBuckets;

    /// <summary>A resolver confined to the buckets root and the allowed image roots of <paramref name="options"/>.</summary>
    public SourceRefResolver(RekognitionOptions options)
        : this(options, null)
    {
    }

    /// <summary>
    /// As <see cref="SourceRefResolver(RekognitionOptions)"/>; with <paramref name="remoteBuckets"/>, <c>s3://</c> objects
    /// are read from those buckets (S3 itself) instead of beneath the buckets root. Their paths stay lexical names only.
    /// </summary>
    internal SourceRefResolver(RekognitionOptions options, IBucketStore? remoteBuckets)
    {
        _remoteBuckets = remoteBuckets;
        ArgumentNullException.ThrowIfNull(options);
        _bucketsRoot = NormalizeRoot(options.ResolvedBucketsRoot);
        _roots = new[] { _bucketsRoot }
            .Concat(options.AllowedImageRoots.Where(r => !string.IsNullOrWhiteSpace(r)).Select(NormalizeRoot))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        _confined = _roots.Select(r => new ConfinedDirectory(r)).ToArray();
    }

    /// <summary>The folder standing for S3.</summary>
    public string BucketsRoot => _bucketsRoot;

    /// <summary>Reads and writes beneath the buckets root, never outside it (the place for every write into a bucket).</summary>
    internal ConfinedDirectory Buckets => _confined[0];

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
    /// Opens a resolved file for reading, confined to the root it lies in: a symbolic link anywhere on the way that
    /// leads out of the root gives null with <see cref="ConfinedOpenFailure.OutsideRoot"/>. The open handle is what
    /// was checked, so replacing a folder with a link afterwards changes nothing.
    /// </summary>
    internal FileStream? OpenRead(string localPath, out ConfinedOpenFailure failure, int bufferSize = 4096)
    {
        var full = Path.GetFullPath(localPath);
        if (_remoteBuckets is not null && IsUnder(full, _bucketsRoot))
        {
            var parts = full[_bucketsRoot.Length..].Split(Path.DirectorySeparatorChar, 2);
            return parts.Length == 2
                ? RemoteBucketFile.Open(_remoteBuckets, parts[0], parts[1].Replace(Path.DirectorySeparatorChar, '/'), out failure)
                : Refused(out failure);
        }

        for (var i = 0; i < _roots.Length; i++)
        {
            if (IsUnder(full, _roots[i]))
            {
                var segments = full[_roots[i].Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
                return _confined[i].OpenRead(string.Join('/', segments), out failure, bufferSize);
            }
        }

        failure = ConfinedOpenFailure.OutsideRoot;
        return null;
    }

    /// <summary>Opens <c>s3://bucket/key</c> for reading, confined to the buckets root; null when it is not a readable file there.</summary>
    internal FileStream? OpenObject(string bucket, string key, out ConfinedOpenFailure failure, int bufferSize = 4096)
    {
        var resolved = ResolveS3($"s3://{bucket}/{key}");
        if (!resolved.IsResolved)
        {
            failure = ConfinedOpenFailure.InvalidPath;
            return null;
        }

        return OpenRead(resolved.LocalPath!, out failure, bufferSize);
    }

    private static FileStream? Refused(out ConfinedOpenFailure failure)
    {
        failure = ConfinedOpenFailure.InvalidPath;
        return null;
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
        if (S3Names.BucketProblem(bucket) is not null)
        {
            return new(SourceRefStatus.InvalidFormat, null, null, $"'{bucket}' is not a valid bucket name");
        }

        if (key.Contains('\0', StringComparison.Ordinal) || key.Contains('\\', StringComparison.Ordinal))
        {
            return new(SourceRefStatus.InvalidFormat, null, null, "the object key contains a character that cannot name a local file");
        }

        // Keys map '/' to folders: '.' and '..' segments would name another object, so they name none.
        var segments = key.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var bucketRoot = NormalizeRoot(Path.Combine(_bucketsRoot, bucket));
        if (segments.Length == 0 || segments.Any(part => part is "." or ".."))
        {
            return new(SourceRefStatus.OutsideRoots, null, bucket, "the object key escapes its bucket");
        }

        var full = bucketRoot + string.Join(Path.DirectorySeparatorChar, segments);
        return new(SourceRefStatus.Resolved, full, bucket, null);
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
}
