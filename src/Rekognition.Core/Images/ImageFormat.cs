namespace Rekognition.Core.Images;

/// <summary>An image container format recognised from the first bytes of a file.</summary>
public enum ImageFormat
{
    /// <summary>Not a format this probe recognises.</summary>
    Unknown,

    /// <summary>PNG (supported).</summary>
    Png,

    /// <summary>JPEG / JFIF / EXIF (supported).</summary>
    Jpeg,

    /// <summary>GIF (recognised, not supported by the service).</summary>
    Gif,

    /// <summary>BMP (recognised, not supported by the service).</summary>
    Bmp,

    /// <summary>WebP (recognised, not supported by the service).</summary>
    WebP,

    /// <summary>TIFF (recognised, not supported by the service).</summary>
    Tiff,
}
