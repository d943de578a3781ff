using Microsoft.Extensions.Logging;
using System.Buffers;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;

namespace Rekognition.Core;

// DetectCustomLabels.
public sealed partial class RekognitionCustomLabelsClient
{
    /// <summary>Largest image passed as bytes to DetectCustomLabels (4 MB).</summary>
    public const int MaxImageBytes = 4 * 1024 * 1024;

    /// <summary>Largest image read from S3 (the buckets root) by DetectCustomLabels (15 MB).</summary>
    public const int MaxS3ImageBytes = 15 * 1024 * 1024;

    public async Task<DetectCustomLabelsResponse> DetectCustomLabelsAsync(DetectCustomLabelsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidation.Arn(request.ProjectVersionArn, "ProjectVersionArn", Arns.ResourceKind.ProjectVersion);
        using var detecting = Diagnostics.RekognitionTelemetry.StartDetect(request.ProjectVersionArn!);
        if (request.MinConfidence is { } min && (float.IsNaN(min) || min < 0 || min > 100))
        {
            throw new InvalidParameterException($"MinConfidence must be between 0 and 100 (got {min}).");
        }

        if (request.MaxResults < 0)
        {
            throw new InvalidParameterException($"MaxResults must be 0 or more (got {request.MaxResults}).");
        }

        var (image, rented) = ReadImage(RequestValidation.Required(request.Image, "Image"));
        try
        {
            var header = DetectionImageCheck.Check(image.Span, _options.Limits);

            if (!_running.TryGet(request.ProjectVersionArn!, out var model))
            {
                var version = FindVersion(request.ProjectVersionArn);
                throw new ResourceNotReadyException($"The model is {version.Status}, not RUNNING. Start it with StartProjectVersion and wait for RUNNING.");
            }

            IReadOnlyList<LabelPrediction> predictions;
            try
            {
                predictions = await model.Host.DetectAsync(image, header, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                throw new ResourceNotReadyException("The model stopped while the image was being analysed. Start it again with StartProjectVersion.");
            }

            var labels = CustomLabelFilter.Apply(predictions, model.Package.Metadata, request.MinConfidence, request.MaxResults);
            detecting?.SetTag(Diagnostics.RekognitionTelemetry.LabelCountTag, labels.Count);
            return new DetectCustomLabelsResponse { CustomLabels = labels };
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The image's bytes, and the pooled array holding them when they had to be copied (to return after the call).</summary>
    private (ReadOnlyMemory<byte> Bytes, byte[]? Rented) ReadImage(Image image)
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
        var resolved = _resolver.Resolve($"s3://{bucket}/{name}");
        var failure = Storage.Confinement.ConfinedOpenFailure.InvalidPath;
        using var stream = resolved.IsResolved ? _resolver.OpenRead(resolved.LocalPath!, out failure, bufferSize: 1) : null;
        if (stream is null)
        {
            if (_logger.IsEnabled(LogLevel.Information))
            {
                _logger.LogInformation("Image s3://{Bucket}/{Key} refused ({Failure}): {Path}", bucket, name, failure.ToString(), resolved.LocalPath);
            }

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
