namespace FeedbackLoop;

/// <summary>
/// Striped PNG pictures: banners have horizontal stripes, posters vertical ones. <paramref name="contrast"/>
/// (0..127) is how far the stripes stand out from grey; faint stripes are harder to tell apart.
/// </summary>
internal static class Pictures
{
    public static byte[] Png(int width, int height, string label, int contrast, int period)
    {
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var along = label == "banner" ? y : x;
                rgb.AsSpan((y * width + x) * 3, 3).Fill((byte)(128 + ((along / period) % 2 == 0 ? contrast : -contrast)));
            }
        }

        return Rekognition.Samples.RgbPng.Encode(rgb, width, height);
    }
}
