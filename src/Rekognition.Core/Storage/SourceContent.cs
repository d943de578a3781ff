using Rekognition.Core.Images;
using Rekognition.Core.Storage.Confinement;

namespace Rekognition.Core.Storage;

/// <summary>Why <see cref="SourceContent"/> has no bytes.</summary>
internal enum SourceReadFailure
{
    /// <summary>The bytes were read.</summary>
    None,

    /// <summary>The location does not resolve, or names nothing readable (missing, a link out, a bucket that refused).</summary>
    Unreadable,

    /// <summary>It is larger than the reader allows; nothing was read.</summary>
    TooLarge,
}

/// <summary>
/// The whole content of a source-ref, an image or a bucket object, read once into memory from the handle opened beneath
/// its root (or from the remote object's response): its size is checked against a limit before anything is read, and
/// no temporary file is made. Images come with their probed header.
/// </summary>
/// <param name="Bytes">The content; null when <paramref name="Failure"/> says why not.</param>
/// <param name="Length">The content's size (also when it was too large to read).</param>
/// <param name="Failure">Why there are no bytes.</param>
/// <param name="OpenFailure">For <see cref="SourceReadFailure.Unreadable"/>: what the open said, for logs.</param>
internal readonly record struct SourceContent(byte[]? Bytes, long Length, SourceReadFailure Failure, ConfinedOpenFailure OpenFailure)
{
    /// <summary>The header of <see cref="Bytes"/> read as an image (a failed probe when there are no bytes).</summary>
    public ImageInfo Image => Bytes is { } bytes
        ? ImageHeaderProbe.Probe(bytes)
        : ImageInfo.Failed(ImageProbeStatus.Unreadable, ImageFormat.Unknown, Length, "the file cannot be read");

    /// <summary>Reads what <paramref name="sourceRef"/> names, at most <paramref name="maxBytes"/> of it.</summary>
    public static SourceContent Read(SourceRefResolver resolver, string sourceRef, long maxBytes = int.MaxValue) =>
        ReadAsync(resolver, sourceRef, maxBytes, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>As <see cref="Read"/>, without blocking on a remote bucket.</summary>
    public static async ValueTask<SourceContent> ReadAsync(SourceRefResolver resolver, string sourceRef, long maxBytes, CancellationToken cancellationToken)
    {
        var resolved = resolver.Resolve(sourceRef);
        return resolved.IsResolved
            ? await ReadLocationAsync(resolver, resolved.LocalPath!, maxBytes, cancellationToken).ConfigureAwait(false)
            : new SourceContent(null, 0, SourceReadFailure.Unreadable, ConfinedOpenFailure.InvalidPath);
    }

    /// <summary>Reads a location <see cref="SourceRefResolver.Resolve"/> gave, at most <paramref name="maxBytes"/> of it.</summary>
    public static SourceContent ReadLocation(SourceRefResolver resolver, string location, long maxBytes = int.MaxValue) =>
        ReadLocationAsync(resolver, location, maxBytes, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>As <see cref="ReadLocation"/>, without blocking on a remote bucket.</summary>
    public static async ValueTask<SourceContent> ReadLocationAsync(SourceRefResolver resolver, string location, long maxBytes, CancellationToken cancellationToken)
    {
        var (stream, failure) = await resolver.OpenReadAsync(location, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return new SourceContent(null, 0, SourceReadFailure.Unreadable, failure);
        }

        await using (stream.ConfigureAwait(false))
        {
            // The length is the file's or the response's Content-Length: a large object is refused before its body is read.
            var length = stream.Length;
            if (length > Math.Min(maxBytes, Array.MaxLength))
            {
                return new SourceContent(null, length, SourceReadFailure.TooLarge, ConfinedOpenFailure.None);
            }

            var bytes = new byte[length];
            await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            return new SourceContent(bytes, length, SourceReadFailure.None, ConfinedOpenFailure.None);
        }
    }
}
