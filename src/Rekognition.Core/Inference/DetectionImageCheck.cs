using Rekognition.Core.Images;
using Rekognition.Core.Model;

namespace Rekognition.Core.Inference;

/// <summary>
/// DetectCustomLabels' image rules, checked from the header before any pixel is decoded: PNG or JPEG by
/// content, at most 4096 px a side, at least 64, at most 20:1.
/// </summary>
internal static class DetectionImageCheck
{
    /// <summary>The image's header, checked; the service's exception for what is wrong with it.</summary>
    public static ImageInfo Check(ReadOnlySpan<byte> image, ManifestLimits limits)
    {
        var info = ImageHeaderProbe.Probe(image);
        if (!info.IsOk)
        {
            throw new InvalidImageFormatException($"Request has invalid image format: {info.Problem ?? "the image is neither a complete PNG nor a complete JPEG"}.");
        }

        if (info.Width > limits.MaxImageSide || info.Height > limits.MaxImageSide)
        {
            throw new ImageTooLargeException($"The image is {info.Width}x{info.Height} px; at most {limits.MaxImageSide} px a side is allowed.");
        }

        if (info.Width < limits.MinImageSide || info.Height < limits.MinImageSide)
        {
            throw new InvalidParameterException($"The image is {info.Width}x{info.Height} px; at least {limits.MinImageSide} px a side is required.");
        }

        var ratio = (double)Math.Max(info.Width, info.Height) / Math.Min(info.Width, info.Height);
        if (ratio > limits.MaxAspectRatio)
        {
            throw new InvalidParameterException($"The image is {info.Width}x{info.Height} px, an aspect ratio above {limits.MaxAspectRatio}:1.");
        }

        return info;
    }
}
