using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;
using Rekognition.Imaging.Preprocessing;

namespace Rekognition.Imaging.Tests;

/// <summary><see cref="ResizeMode.CentreCrop"/>: which pixels land where, the geometry back to the image, decoding.</summary>
public class CentreCropTests
{
    /// <summary>Raw 0..255 values, no normalization, so tensor values are the pixels the crop read.</summary>
    private static ModelInputSpec Raw(int width, int height, float fraction, TensorLayout layout = TensorLayout.NCHW) => new()
    {
        Width = width, Height = height, Resize = ResizeMode.CentreCrop, CropFraction = fraction, Layout = layout,
        Scale = 1, Mean = [0, 0, 0], Std = [1, 1, 1],
    };

    /// <summary>R is the column, G the row, B 7; rows padded with bytes that must not be read.</summary>
    private static (byte[] Rgba, int RowBytes) Coordinates(int width, int height)
    {
        var rowBytes = width * 4 + 8;
        var rgba = new byte[rowBytes * height];
        Array.Fill(rgba, (byte)250);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var at = y * rowBytes + x * 4;
                (rgba[at], rgba[at + 1], rgba[at + 2], rgba[at + 3]) = ((byte)x, (byte)y, 7, 255);
            }
        }

        return (rgba, rowBytes);
    }

    [TestCase(40, 20, 15, 5)]
    [TestCase(20, 40, 5, 15)]
    [TestCase(21, 21, 5, 5)]
    public void Write_CopiesTheCentredSquare_AtOneToOne(int width, int height, int left, int top)
    {
        // Half of a 20 (or 21) pixel shorter side is a 10x10 square (rounded), resized to 10x10: pixel for pixel.
        var spec = Raw(10, 10, 0.5f);
        var (rgba, rowBytes) = Coordinates(width, height);
        foreach (var preprocessor in new[] { new TensorPreprocessor(spec), new TensorPreprocessor(spec, allowSimd: false) })
        {
            var tensor = new float[preprocessor.ElementsPerImage];
            var geometry = preprocessor.Write(rgba, width, height, rowBytes, tensor);

            Assert.That(geometry, Is.EqualTo(new InputGeometry(width, height, 1f, 1f, -left, -top)));
            for (var y = 0; y < 10; y++)
            {
                for (var x = 0; x < 10; x++)
                {
                    Assert.That((tensor[y * 10 + x], tensor[100 + y * 10 + x], tensor[200 + y * 10 + x]), Is.EqualTo(((float)(left + x), (float)(top + y), 7f)), $"({x}, {y})");
                }
            }
        }
    }

    [Test]
    public void Write_DownscalesTheCrop_NotTheWholeImage()
    {
        // A 64x32 image, crop 0.5 of 32 = 16x16 at (24, 8), into 8x8 NHWC: each output pixel averages two source
        // columns and rows, so output x reads columns 24 + 2x and 25 + 2x (value 24.5 + 2x).
        var spec = Raw(8, 8, 0.5f, TensorLayout.NHWC);
        var (rgba, rowBytes) = Coordinates(64, 32);
        var tensor = new float[3 * 64];
        var geometry = new TensorPreprocessor(spec).Write(rgba, 64, 32, rowBytes, tensor);

        Assert.That(geometry, Is.EqualTo(new InputGeometry(64, 32, 0.5f, 0.5f, -12f, -4f)));
        for (var y = 0; y < 8; y++)
        {
            for (var x = 0; x < 8; x++)
            {
                Assert.That(tensor[(y * 8 + x) * 3], Is.EqualTo(24.5f + 2 * x).Within(1e-4), $"R ({x}, {y})");
                Assert.That(tensor[(y * 8 + x) * 3 + 1], Is.EqualTo(8.5f + 2 * y).Within(1e-4), $"G ({x}, {y})");
            }
        }
    }

    [TestCase(640, 480, 224, 224, 0.875f)]
    [TestCase(333, 500, 224, 224, 0.875f)]
    [TestCase(300, 300, 64, 32, 0.6f)]
    [TestCase(100, 400, 48, 16, 1f)]
    public void Geometry_MapsTheInputBackOntoTheCrop(int width, int height, int inputWidth, int inputHeight, float fraction)
    {
        var spec = Raw(inputWidth, inputHeight, fraction);
        var preprocessor = new TensorPreprocessor(spec);
        var (rgba, rowBytes) = Coordinates(width, height);
        var geometry = preprocessor.Write(rgba, width, height, rowBytes, new float[preprocessor.ElementsPerImage]);

        // The whole input is the crop: centred, the input's aspect, fraction of the largest such rectangle that fits.
        var fit = Math.Min((double)width / inputWidth, (double)height / inputHeight) * fraction;
        var box = geometry.ToImage(0, 0, inputWidth, inputHeight)!.Value;
        Assert.That(box.Width * width, Is.EqualTo(inputWidth * fit).Within(0.51));
        Assert.That(box.Height * height, Is.EqualTo(inputHeight * fit).Within(0.51));
        Assert.That(box.Left + box.Width / 2, Is.EqualTo(0.5f).Within(0.51 / width));
        Assert.That(box.Top + box.Height / 2, Is.EqualTo(0.5f).Within(0.51 / height));

        // Image pixel -> input pixel (x * scale + pad) -> back to the image: the round trip lands where it started.
        var (x1, y1, x2, y2) = (width * 0.45f, height * 0.4f, width * 0.55f, height * 0.6f);
        var back = geometry.ToImage(x1 * geometry.ScaleX + geometry.PadX, y1 * geometry.ScaleY + geometry.PadY,
            x2 * geometry.ScaleX + geometry.PadX, y2 * geometry.ScaleY + geometry.PadY)!.Value;
        Assert.That(back.Left * width, Is.EqualTo(x1).Within(1e-3));
        Assert.That(back.Top * height, Is.EqualTo(y1).Within(1e-3));
        Assert.That((back.Left + back.Width) * width, Is.EqualTo(x2).Within(1e-3));
        Assert.That((back.Top + back.Height) * height, Is.EqualTo(y2).Within(1e-3));
    }

    [Test]
    public void DecodeTarget_CoversTheInputOverTheFraction()
    {
        Assert.That(TensorPreprocessor.DecodeTarget(new ModelInputSpec { Resize = ResizeMode.CentreCrop }), Is.EqualTo((256, 256)));
        Assert.That(TensorPreprocessor.DecodeTarget(new ModelInputSpec { Resize = ResizeMode.CentreCrop, CropFraction = 1 }), Is.EqualTo((224, 224)));
        Assert.That(TensorPreprocessor.DecodeTarget(new ModelInputSpec { Resize = ResizeMode.Stretch }), Is.EqualTo((224, 224)));
        Assert.That(TensorPreprocessor.DecodeTarget(new ModelInputSpec { Width = 64, Height = 32, Resize = ResizeMode.CentreCrop, CropFraction = 0.5f }), Is.EqualTo((128, 64)));
    }

    [Test]
    public void WriteEncoded_CropsTheRgbaDecode_WithEitherDecoder()
    {
        // Turbo would give planes for a stretch; for a crop both decoders go through RGBA at input / fraction.
        var jpeg = TestImages.Quadrants(800, 400, SkiaSharp.SKEncodedImageFormat.Jpeg);
        var spec = new ModelInputSpec { Width = 64, Height = 64, Resize = ResizeMode.CentreCrop, CropFraction = 0.5f };
        var preprocessor = new TensorPreprocessor(spec);
        foreach (IImageDecoder decoder in new IImageDecoder[] { new SkiaImageDecoder(), new TurboJpegImageDecoder() })
        {
            var tensor = new float[preprocessor.ElementsPerImage];
            var geometry = preprocessor.WriteEncoded(decoder, jpeg, tensor);

            // The crop is the centre 200x200 of the 800x400 image, whatever scale it was decoded at (here 1/2: 400x200 covers 128).
            Assert.That((geometry.ImageWidth, geometry.ImageHeight), Is.EqualTo((800, 400)));
            var box = geometry.ToImage(0, 0, 64, 64)!.Value;
            Assert.That((box.Left, box.Top, box.Width, box.Height), Is.EqualTo((0.375f, 0.25f, 0.25f, 0.5f)));

            using var decoded = decoder.Decode(jpeg, 128, 128);
            Assert.That((decoded.Width, decoded.Height), Is.EqualTo((400, 200)));
            var expected = new float[tensor.Length];
            preprocessor.Write(decoded, expected);
            Assert.That(tensor, Is.EqualTo(expected), decoder.GetType().Name);
        }
    }

    [Test]
    public void Constructor_RejectsACropFractionOutsideZeroToOne()
    {
        Assert.Throws<ArgumentException>(() => new TensorPreprocessor(new ModelInputSpec { Resize = ResizeMode.CentreCrop, CropFraction = 0 }));
        Assert.Throws<ArgumentException>(() => new TensorPreprocessor(new ModelInputSpec { Resize = ResizeMode.CentreCrop, CropFraction = 1.5f }));
        Assert.DoesNotThrow(() => new TensorPreprocessor(new ModelInputSpec { Resize = ResizeMode.Stretch, CropFraction = 0 }));
    }
}
