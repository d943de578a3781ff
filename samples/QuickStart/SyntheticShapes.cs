namespace QuickStart;

/// <summary>
/// Makes the QuickStart's dataset: small PNG photos of one shape each (circle, square or triangle) in a
/// random colour, size and place on a noisy background, so the sample needs no download.
/// </summary>
internal static class SyntheticShapes
{
    public static readonly string[] Labels = { "circle", "square", "triangle" };

    /// <summary>Draws image <paramref name="index"/> of <paramref name="label"/> as a 96x96 RGB PNG.</summary>
    public static byte[] Draw(string label, int index, int size = 96)
    {
        var random = new Random(HashCode.Combine(label.Length, label[0], index));
        var pixels = new byte[size * size * 3];
        random.NextBytes(pixels);
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(96 + pixels[i] / 4); // grey-ish noise background
        }

        var color = new[] { (byte)random.Next(0, 256), (byte)random.Next(0, 256), (byte)random.Next(0, 96) };
        var radius = random.Next(size / 6, size / 3);
        var cx = random.Next(radius, size - radius);
        var cy = random.Next(radius, size - radius);
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                int dx = x - cx, dy = y - cy;
                var inside = label switch
                {
                    "circle" => dx * dx + dy * dy <= radius * radius,
                    "square" => Math.Abs(dx) <= radius && Math.Abs(dy) <= radius,
                    _ => dy <= radius && dy >= -radius && Math.Abs(dx) <= (dy + radius) / 2,
                };
                if (inside)
                {
                    color.CopyTo(pixels.AsSpan((y * size + x) * 3, 3));
                }
            }
        }

        return Rekognition.Samples.RgbPng.Encode(pixels, size, size);
    }
}
