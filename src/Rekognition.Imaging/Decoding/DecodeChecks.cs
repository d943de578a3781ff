using Rekognition.Core.Images;
using Rekognition.Core.Model;

namespace Rekognition.Imaging.Decoding;

/// <summary>What every decoder checks from the header before any codec runs: a complete PNG or JPEG, not too large.</summary>
internal static class DecodeChecks
{
    /// <summary>The probed header of <paramref name="encoded"/>, or the service's exception for what is wrong with it.</summary>
    /// <exception cref="InvalidImageFormatException">Not a complete PNG or JPEG.</exception>
    /// <exception cref="ImageTooLargeException">The header declares more than <paramref name="maxPixels"/> pixels.</exception>
    public static ImageInfo Probe(ReadOnlySpan<byte> encoded, long maxPixels)
    {
        var info = ImageHeaderProbe.Probe(encoded);
        if (!info.IsOk)
        {
            throw new InvalidImageFormatException($"The image cannot be decoded: {info.Problem ?? "it is neither a complete PNG nor a complete JPEG"}.");
        }

        CheckSize(info.Width, info.Height, maxPixels);
        return info;
    }

    /// <summary>
    /// As <see cref="Probe(ReadOnlySpan{byte}, long)"/> with a header the caller already probed (<see cref="ImageHeaderProbe.Probe(ReadOnlySpan{byte})"/>
    /// of these bytes), so it is not read again; a header that is not of these bytes (another length or format) is read anew.
    /// </summary>
    public static ImageInfo Probe(ReadOnlySpan<byte> encoded, in ImageInfo probed, long maxPixels)
    {
        if (probed.ByteLength != encoded.Length || probed.Format != ImageHeaderProbe.DetectFormat(encoded))
        {
            return Probe(encoded, maxPixels);
        }

        if (!probed.IsOk)
        {
            throw new InvalidImageFormatException($"The image cannot be decoded: {probed.Problem ?? "it is neither a complete PNG nor a complete JPEG"}.");
        }

        CheckSize(probed.Width, probed.Height, maxPixels);
        return probed;
    }

    /// <summary>The header's format and size, width and height swapped when its EXIF orientation turns the image.</summary>
    public static ImageInfo ProbeOriented(ReadOnlySpan<byte> encoded)
    {
        var info = ImageHeaderProbe.Probe(encoded);
        if (info.Width == 0 || !OrientationTransform.SwapsAxes(ExifOrientation.Read(encoded, info.Format)))
        {
            return info;
        }

        return info with { Width = info.Height, Height = info.Width };
    }

    /// <exception cref="ImageTooLargeException">More than <paramref name="maxPixels"/> pixels.</exception>
    public static void CheckSize(int width, int height, long maxPixels)
    {
        if ((long)width * height > maxPixels)
        {
            throw new ImageTooLargeException($"The image is {width}x{height} px ({(long)width * height} pixels); at most {maxPixels} pixels can be decoded.");
        }
    }

    /// <summary>The smallest of the JPEG decoder's 1/2, 1/4, 1/8 scales that still covers the target (full size without one).</summary>
    /// <returns>The scale's denominator: 1, 2, 4 or 8.</returns>
    public static int JpegScaleDenominator(int width, int height, int targetWidth, int targetHeight)
    {
        if (targetWidth <= 0 || targetHeight <= 0)
        {
            return 1;
        }

        var best = 1;
        for (var denominator = 2; denominator <= 8; denominator *= 2)
        {
            if (Scaled(width, denominator) < targetWidth || Scaled(height, denominator) < targetHeight)
            {
                break;
            }

            best = denominator;
        }

        return best;
    }

    /// <summary>A side scaled by 1/<paramref name="denominator"/> as libjpeg does it (rounded up).</summary>
    public static int Scaled(int side, int denominator) => (side + denominator - 1) / denominator;
}
