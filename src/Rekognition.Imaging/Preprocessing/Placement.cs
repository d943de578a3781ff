using Rekognition.Core.Models;

namespace Rekognition.Imaging.Preprocessing;

/// <summary>Where the resized image sits in the model's input, in whole input pixels.</summary>
internal readonly record struct Placement(int Left, int Top, int Width, int Height)
{
    /// <summary>The placement of a <paramref name="width"/> x <paramref name="height"/> image as <paramref name="spec"/> says.</summary>
    public static Placement For(ModelInputSpec spec, int width, int height)
    {
        // A centre crop is a stretch of the cropped region (see SourceRegion).
        if (spec.Resize != ResizeMode.Letterbox)
        {
            return new Placement(0, 0, spec.Width, spec.Height);
        }

        var scale = Math.Min((double)spec.Width / width, (double)spec.Height / height);
        var w = Math.Clamp((int)Math.Round(width * scale), 1, spec.Width);
        var h = Math.Clamp((int)Math.Round(height * scale), 1, spec.Height);
        return spec.LetterboxTopLeft
            ? new Placement(0, 0, w, h)
            : new Placement((spec.Width - w) / 2, (spec.Height - h) / 2, w, h);
    }

    /// <summary>The geometry that maps input-pixel boxes back to the <paramref name="width"/> x <paramref name="height"/> image.</summary>
    public InputGeometry Geometry(int width, int height) =>
        new(width, height, (float)Width / width, (float)Height / height, Left, Top);
}
