using System.Buffers;
using Microsoft.Extensions.Logging;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Services.Hosting;

/// <summary>The bytes of a DetectCustomLabels image: passed in the request, or read from S3 (the buckets root).</summary>
internal sealed class DetectionImageReader(SourceRefResolver resolver, ILogger<DetectionImageReader> logger)
{
    /// <summary>Largest image passed as bytes to DetectCustomLabels (4 MB).</summary>
    public const int MaxImageBytes = 4 * 1024 * 1024;

    /// <summary>Largest image read from S3 (the buckets root) by DetectCustomLabels (15 MB).</summary>
    public const int MaxS3ImageBytes = 15 * 1024 * 1024;

    /// <summary>The image's bytes, and the pooled array holding them when they had to be copied (to return after the call).</summary>
    public (ReadOnlyMemory<byte> Bytes, byte[]? Rented) Read(Image image)
    {
        if (image.Bytes is not null && image.S3Object is not null)
        {
            throw new InvalidParameterException("Image must have either Bytes or S3Object, not both.");
        }

        if (image.Bytes is { } bytes)
        {
            if (bytes.Length == 0)
            {
                throw new InvalidParameterException("Image.Bytes is empty.");
            }

            if (bytes.Length > MaxImageBytes)
            {
                throw new ImageTooLargeException($"The image is {bytes.Length} bytes; images passed as bytes must be at most 4 MB. Pass a larger image (up to 15 MB) as an S3Object.");
            }

            if (bytes.TryGetBuffer(out var segment))
            {
                return (segment.AsMemory(), null);
            }

            // A stream over a caller's array (new MemoryStream(bytes)) hides it: copy into a pooled array, not a new one.
            var size = (int)bytes.Length;
            var rented = ArrayPool<byte>.Shared.Rent(size);
            var position = bytes.Position;
            bytes.Position = 0;
            bytes.ReadExactly(rented, 0, size);
            bytes.Position = position;
            return (rented.AsMemory(0, size), rented);
        }

        var s3 = image.S3Object ?? throw new InvalidParameterException("Image must have Bytes or an S3Object.");
        var bucket = RequestValidation.Required(s3.Bucket, "Image.S3Object.Bucket");
        var name = RequestValidation.Required(s3.Name, "Image.S3Object.Name");
        var resolved = resolver.Resolve($"s3://{bucket}/{name}");
        var failure = Storage.Confinement.ConfinedOpenFailure.InvalidPath;
        using var stream = resolved.IsResolved ? resolver.OpenRead(resolved.LocalPath!, out failure, bufferSize: 1) : null;
        if (stream is null)
        {
            HostingLog.ImageRefused(logger, bucket, name, failure, resolved.LocalPath);

            throw new InvalidS3ObjectException($"Unable to get object metadata from S3. Check object key, region and/or access permissions. (s3://{bucket}/{name})");
        }

        var length = stream.Length;
        if (length > MaxS3ImageBytes)
        {
            throw new ImageTooLargeException($"s3://{bucket}/{name} is {length} bytes; images in S3 must be at most 15 MB.");
        }

        // The bytes come from the handle that was checked, not from the path again.
        var content = new byte[length];
        stream.ReadExactly(content);
        return (content, null);
    }
}
