using Rekognition.Core.Inference;

namespace Rekognition.Imaging.Preprocessing;

/// <summary>
/// How an image was placed in the model's input: scaled by <see cref="ScaleX"/>/<see cref="ScaleY"/>
/// then offset by <see cref="PadX"/>/<see cref="PadY"/> (letterbox padding). Maps input-pixel boxes back
/// to ratios of the original image.
/// </summary>
/// <param name="ImageWidth">Original image width, px.</param>
/// <param name="ImageHeight">Original image height, px.</param>
/// <param name="ScaleX">Input pixels per image pixel, horizontally.</param>
/// <param name="ScaleY">Input pixels per image pixel, vertically.</param>
/// <param name="PadX">Input pixels left of the image.</param>
/// <param name="PadY">Input pixels above the image.</param>
public readonly record struct InputGeometry(int ImageWidth, int ImageHeight, float ScaleX, float ScaleY, float PadX, float PadY)
{
    /// <summary>The geometry of an image stretched to the input size.</summary>
    public static InputGeometry Stretch(int imageWidth, int imageHeight, int inputWidth, int inputHeight) =>
        new(imageWidth, imageHeight, (float)inputWidth / imageWidth, (float)inputHeight / imageHeight, 0, 0);

    /// <summary>The geometry of an image scaled to fit the input with its aspect kept, centred or at the top-left.</summary>
    public static InputGeometry Letterbox(int imageWidth, int imageHeight, int inputWidth, int inputHeight, bool topLeft)
    {
        var scale = Math.Min((float)inputWidth / imageWidth, (float)inputHeight / imageHeight);
        var padX = topLeft ? 0 : (inputWidth - imageWidth * scale) / 2;
        var padY = topLeft ? 0 : (inputHeight - imageHeight * scale) / 2;
        return new InputGeometry(imageWidth, imageHeight, scale, scale, padX, padY);
    }

    /// <summary>Maps a box given in input pixels (x1, y1, x2, y2) to ratios of the image, clipped to it; null when nothing is left.</summary>
    public NormalizedBox? ToImage(float x1, float y1, float x2, float y2)
    {
        var left = Math.Clamp((x1 - PadX) / ScaleX / ImageWidth, 0f, 1f);
        var top = Math.Clamp((y1 - PadY) / ScaleY / ImageHeight, 0f, 1f);
        var right = Math.Clamp((x2 - PadX) / ScaleX / ImageWidth, 0f, 1f);
        var bottom = Math.Clamp((y2 - PadY) / ScaleY / ImageHeight, 0f, 1f);
        return right > left && bottom > top ? new NormalizedBox(left, top, right - left, bottom - top) : null;
    }
}
