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
/// Maps <c>source-ref</c> values to what can be read: <c>s3://bucket/key</c> lies under the buckets root (or, when the
/// buckets are S3 itself, is that object, its key exactly as written), <c>file://</c> URIs and plain paths must lie inside
/// the buckets root or an extra allowed root. Anything that escapes the roots (<c>..</c>, absolute paths elsewhere,
/// symbolic links out) is refused, as the service refuses an object the caller has no access to.
/// </summary>
public sealed class SourceRefResolver
{
    private const string S3Scheme = "s3://";

    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private readonly string _bucketsRoot;
    private readonly string[] _roots;
    private readonly ConfinedDirectory[] _confined;
    private readonly IBucketStore _buckets;
    private readonly bool _remote;
    private KnownBucket? _lastBucket;

    /// <summary>A resolver confined to the buckets root and the allowed image roots of <paramref name="options"/>.</summary>
    public SourceRefResolver(RekognitionOptions options)
        : this(options, null)
    {
    }

    /// <summary>
    /// As <see cref="SourceRefResolver(RekognitionOptions)"/>; with remote <paramref name="buckets"/> (not folders of the
    /// buckets root), an <c>s3://</c> source-ref resolves to its own URI and is read from those buckets (S3 itself).
    /// </summary>
    internal SourceRefResolver(RekognitionOptions options, IBucketStore? buckets)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bucketsRoot = NormalizeRoot(options.ResolvedBucketsRoot);
        _roots = new[] { _bucketsRoot }
            .Concat(options.AllowedImageRoots.Where(r => !string.IsNullOrWhiteSpace(r)).Select(NormalizeRoot))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        _confined = _roots.Select(r => new ConfinedDirectory(r)).ToArray();
        _remote = buckets is not null and not FolderBucketStore;
        _buckets = buckets ?? new FolderBucketStore(_confined[0]);
    }

    /// <summary>The folder standing for S3.</summary>
    public string BucketsRoot => _bucketsRoot;

    /// <summary>Reads and writes beneath the buckets root, never outside it.</summary>
    internal ConfinedDirectory Buckets => _confined[0];

    /// <summary>The buckets <c>s3://</c> names: folders of the buckets root, or S3 itself (the place for every write into a bucket).</summary>
    internal IBucketStore BucketStore => _buckets;

    /// <summary>
    /// Resolves <paramref name="sourceRef"/> lexically (no file-system access). Relative paths are taken
    /// from <paramref name="baseDirectory"/> (the manifest's folder, <see cref="FolderOf"/>) when there is one.
    /// </summary>
    public ResolvedSourceRef Resolve(string sourceRef, string? baseDirectory = null)
    {
        if (string.IsNullOrWhiteSpace(sourceRef))
        {
            return new(SourceRefStatus.InvalidFormat, null, null, "source-ref is empty");
        }

        if (sourceRef.StartsWith(S3Scheme, StringComparison.Ordinal))
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
        else if (baseDirectory is not null && baseDirectory.StartsWith(S3Scheme, StringComparison.Ordinal))
        {
            // Relative to a manifest in a remote bucket: a key beside it.
            return ResolveS3(baseDirectory + "/" + sourceRef);
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

    /// <summary>The folder of a resolved location, for the relative paths of a manifest there.</summary>
    internal static string? FolderOf(string location) =>
        location.StartsWith(S3Scheme, StringComparison.Ordinal) ? location[..location.LastIndexOf('/')] : Path.GetDirectoryName(location);

    /// <summary>
    /// Opens a resolved location for reading, confined to the root it lies in: a symbolic link anywhere on the way that
    /// leads out of the root gives null with <see cref="ConfinedOpenFailure.OutsideRoot"/>. The open handle is what
    /// was checked, so replacing a folder with a link afterwards changes nothing. A remote object is its response,
    /// read as it arrives (its length known, not seekable). For synchronous callers on background threads.
    /// </summary>
    internal Stream? OpenRead(string location, out ConfinedOpenFailure failure, int bufferSize = 4096)
    {
        if (RemoteObject(location) is { } remote)
        {
            // Only the response's headers are awaited here; the body streams as it is read.
            var read = _buckets.OpenReadAsync(remote.Bucket, remote.Key).GetAwaiter().GetResult();
            failure = Failure(read);
            return read.Content;
        }

        return OpenLocal(location, out failure, bufferSize);
    }

    /// <summary>As <see cref="OpenRead"/>, without blocking on a remote bucket.</summary>
    internal async Task<(Stream? Content, ConfinedOpenFailure Failure)> OpenReadAsync(string location, CancellationToken cancellationToken = default)
    {
        if (RemoteObject(location) is { } remote)
        {
            var read = await _buckets.OpenReadAsync(remote.Bucket, remote.Key, cancellationToken).ConfigureAwait(false);
            return (read.Content, Failure(read));
        }

        var stream = OpenLocal(location, out var failure, 1);
        return (stream, failure);
    }

    /// <summary>Whether a resolved location can be read now (a remote object is asked about, not fetched).</summary>
    internal bool CanRead(string location)
    {
        if (RemoteObject(location) is { } remote)
        {
            return _buckets.ExistsAsync(remote.Bucket, remote.Key).GetAwaiter().GetResult();
        }

        using var stream = OpenLocal(location, out _, 1);
        return stream is not null;
    }

    /// <summary>Opens <c>s3://bucket/key</c> for reading; null when it is not a readable object.</summary>
    internal Stream? OpenObject(string bucket, string key, out ConfinedOpenFailure failure, int bufferSize = 4096)
    {
        var resolved = ResolveS3($"{S3Scheme}{bucket}/{key}");
        if (!resolved.IsResolved)
        {
            failure = ConfinedOpenFailure.InvalidPath;
            return null;
        }

        return OpenRead(resolved.LocalPath!, out failure, bufferSize);
    }

    private FileStream? OpenLocal(string localPath, out ConfinedOpenFailure failure, int bufferSize)
    {
        var full = Path.GetFullPath(localPath);
        if (_remote && IsUnder(full, _bucketsRoot))
        {
            // A path beneath the buckets root names no local file when the buckets are S3.
            failure = ConfinedOpenFailure.NotFound;
            return null;
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

    /// <summary>The bucket and the exact key of a remote location (the <c>s3://</c> URI a source-ref resolved to); null for a local one.</summary>
    private (string Bucket, string Key)? RemoteObject(string location)
    {
        if (!_remote || !location.StartsWith(S3Scheme, StringComparison.Ordinal))
        {
            return null;
        }

        var slash = location.IndexOf('/', S3Scheme.Length);
        return slash < 0 ? null : (location[S3Scheme.Length..slash], location[(slash + 1)..]);
    }

    private static ConfinedOpenFailure Failure(BucketRead read) => read.Failure switch
    {
        BucketReadFailure.None => ConfinedOpenFailure.None,
        BucketReadFailure.AccessDenied => ConfinedOpenFailure.AccessDenied,
        _ => ConfinedOpenFailure.NotFound,
    };

    private ResolvedSourceRef ResolveS3(string sourceRef)
    {
        var rest = sourceRef.AsSpan(S3Scheme.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1)
        {
            return new(SourceRefStatus.InvalidFormat, null, null, "expected s3://bucket/key");
        }

        // A manifest's lines name one bucket: its name (checked) and folder are made once, not per line.
        var known = _lastBucket;
        if (known is null || !rest[..slash].SequenceEqual(known.Name))
        {
            var name = rest[..slash].ToString();
            if (S3Names.BucketProblem(name) is not null)
            {
                return new(SourceRefStatus.InvalidFormat, null, null, $"'{name}' is not a valid bucket name");
            }

            known = new KnownBucket(name, _remote ? null : NormalizeRoot(Path.Combine(_bucketsRoot, name)));
            _lastBucket = known;
        }

        var bucket = known.Name;
        var key = rest[(slash + 1)..];
        if (key.Contains('\0') || !_remote && key.Contains('\\'))
        {
            return new(SourceRefStatus.InvalidFormat, null, null, "the object key contains a character that cannot name a local file");
        }

        // '.' and '..' segments would name another object in a folder, so they name none (in S3 too, to answer alike).
        var segments = 0;
        foreach (var range in key.Split('/'))
        {
            var part = key[range];
            if (part.IsEmpty)
            {
                continue;
            }

            if (part is "." or "..")
            {
                return new(SourceRefStatus.OutsideRoots, null, bucket, "the object key escapes its bucket");
            }

            segments++;
        }

        if (segments == 0)
        {
            return new(SourceRefStatus.OutsideRoots, null, bucket, "the object key escapes its bucket");
        }

        if (_remote)
        {
            // S3 keys are strings, not paths: "a//b" and "a/b/" are objects of their own, so the key is kept as written
            // (the source-ref itself: scheme, bucket, '/', key).
            return new(SourceRefStatus.Resolved, sourceRef, bucket, null);
        }

        // Empty segments are dropped and '/' becomes the platform's separator; a key with neither is appended as it is.
        var plain = Path.DirectorySeparatorChar == '/' && key[0] != '/' && key[^1] != '/' && !key.Contains("//", StringComparison.Ordinal);
        var full = plain
            ? string.Concat(known.Folder, key)
            : known.Folder + string.Join(Path.DirectorySeparatorChar, key.ToString().Split('/', StringSplitOptions.RemoveEmptyEntries));
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

    /// <summary>A valid bucket name and its folder beneath the buckets root (null when the buckets are S3 itself).</summary>
    private sealed record KnownBucket(string Name, string? Folder);
}
