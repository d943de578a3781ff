namespace Rekognition.Core.Images;

/// <summary>The result of probing an image header.</summary>
/// <param name="Status">Whether the header could be read.</param>
/// <param name="Format">The format recognised from the content (not from the file name).</param>
/// <param name="Width">Declared width in pixels (0 when unknown).</param>
/// <param name="Height">Declared height in pixels (0 when unknown).</param>
/// <param name="ByteLength">Size of the file or buffer in bytes.</param>
/// <param name="Problem">What is wrong, for messages; null when <see cref="Status"/> is <see cref="ImageProbeStatus.Ok"/>.</param>
public readonly record struct ImageInfo(ImageProbeStatus Status, ImageFormat Format, int Width, int Height, long ByteLength, string? Problem)
{
    /// <summary>Whether the header was read and the image is a complete PNG or JPEG.</summary>
    public bool IsOk => Status == ImageProbeStatus.Ok;

    internal static ImageInfo Failed(ImageProbeStatus status, ImageFormat format, long length, string problem) =>
        new(status, format, 0, 0, length, problem);
}
