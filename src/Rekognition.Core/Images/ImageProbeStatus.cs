namespace Rekognition.Core.Images;

/// <summary>What a header probe found.</summary>
public enum ImageProbeStatus
{
    /// <summary>A PNG or JPEG whose header gives its size and whose end marker is present.</summary>
    Ok,

    /// <summary>The bytes are not PNG or JPEG (another image format, or not an image at all).</summary>
    UnsupportedFormat,

    /// <summary>A PNG or JPEG that stops early (header cut, or no IEND chunk / EOI marker at the end).</summary>
    Truncated,

    /// <summary>A PNG or JPEG whose header is malformed (bad chunk, zero size, no frame header).</summary>
    Corrupt,

    /// <summary>The file could not be opened or read.</summary>
    Unreadable,
}
