using System.Buffers;
using Microsoft.Extensions.Logging;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Services.Hosting;

/// <summary>The bytes of a DetectCustomLabels image: passed in the request, or read from its bucket (the buckets root, or S3 itself).</summary>
internal sealed class DetectionImageReader(SourceRefResolver resolver, ILogger<DetectionImageReader> logger)
{
    /// <summary>Largest image passed as bytes to DetectCustomLabels (4 MB).</summary>
    public const int MaxImageBytes = 4 * 1024 * 1024;

    /// <summary>Largest image read from S3 (the buckets root) by DetectCustomLabels (15 MB).</summary>
    public const int MaxS3ImageBytes = 15 * 1024 * 1024;

    /// <summary>
    /// The request's checks of <paramref name="image"/> that need no read: exactly one of Bytes and S3Object, Bytes not
    /// empty nor over 4 MB, an S3Object's bucket and name given. Made before the model is looked at, as the service does.
    /// </summary>
    public static void Check(Image image)
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

            return;
        }

        var s3 = image.S3Object ?? throw new InvalidParameterException("Image must have Bytes or an S3Object.");
        RequestValidation.Required(s3.Bucket, "Image.S3Object.Bucket");
        RequestValidation.Required(s3.Name, "Image.S3Object.Name");
    }

    /// <summary>
    /// The bytes of an image passed in the request (<see cref="Check"/>ed), and the pooled array holding them when they
    /// had to be copied (to return after the call).
    /// </summary>
    public static (ReadOnlyMemory<byte> Bytes, byte[]? Rented) ReadBytes(MemoryStream bytes)
    {
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

    /// <summary>
    /// The bytes of an S3Object image (<see cref="Check"/>ed), read without blocking straight into memory: an object over
    /// 15 MB is refused from its size before its body is read.
    /// </summary>
    public async Task<byte[]> ReadS3ObjectAsync(S3Object s3, CancellationToken cancellationToken)
    {
        var content = await SourceContent.ReadAsync(resolver, $"s3://{s3.Bucket}/{s3.Name}", MaxS3ImageBytes, cancellationToken).ConfigureAwait(false);
        if (content.Failure == SourceReadFailure.TooLarge)
        {
            throw new ImageTooLargeException($"s3://{s3.Bucket}/{s3.Name} is {content.Length} bytes; images in S3 must be at most 15 MB.");
        }

        if (content.Bytes is not { } bytes)
        {
            HostingLog.ImageRefused(logger, s3.Bucket!, s3.Name!, content.OpenFailure);

            throw new InvalidS3ObjectException($"Unable to get object metadata from S3. Check object key, region and/or access permissions. (s3://{s3.Bucket}/{s3.Name})");
        }

        return bytes;
    }
}
