namespace Rekognition.Imaging.Decoding;

/// <summary>The EXIF orientation values: where the stored rows and columns go when the image is shown.</summary>
internal enum Orientation
{
    /// <summary>1: shown as stored.</summary>
    TopLeft = 1,

    /// <summary>2: mirrored left to right.</summary>
    TopRight = 2,

    /// <summary>3: turned 180 degrees.</summary>
    BottomRight = 3,

    /// <summary>4: mirrored top to bottom.</summary>
    BottomLeft = 4,

    /// <summary>5: transposed (mirrored about the main diagonal).</summary>
    LeftTop = 5,

    /// <summary>6: turned 90 degrees clockwise to show.</summary>
    RightTop = 6,

    /// <summary>7: transversed (mirrored about the other diagonal).</summary>
    RightBottom = 7,

    /// <summary>8: turned 90 degrees counter-clockwise to show.</summary>
    LeftBottom = 8,
}
