using Rekognition.Core.Images;
using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;
using Rekognition.Imaging.Preprocessing;
using SkiaSharp;

namespace Rekognition.Imaging.Tests;

/// <summary>The one decoder factory, and the YCbCr fast path chosen by capability (so a wrapping decoder keeps it).</summary>
public class DecoderFactoryTests
{
    [Test]
    public void Factory_Auto_IsTheFastestPresent_AndHandsOutOneSharedDecoder()
    {
        var factory = new ImageDecoderFactory();
        Assert.That(factory.Kind, Is.EqualTo(TurboJpegImageDecoder.IsAvailable ? ImageDecoderKind.TurboJpeg : ImageDecoderKind.SkiaSharp));
        Assert.That(factory.Decoder, Is.SameAs(factory.Decoder));
        Assert.That(factory.Decoder.GetType(), Is.EqualTo(ImageDecoders.Create().GetType()));
        Assert.That(ImageDecoderFactory.Default.Kind, Is.EqualTo(factory.Kind));
        Assert.That(ImageDecoderFactory.Default.Decoder, Is.SameAs(ImageDecoderFactory.Default.Decoder));
    }

    [Test]
    public void Factory_NamedKind_GivesThatDecoder_AndRefusesUnknownKinds()
    {
        var sharp = new ImageDecoderFactory(ImageDecoderKind.ImageSharp, maxPixels: 1000);
        Assert.That(sharp.Kind, Is.EqualTo(ImageDecoderKind.ImageSharp));
        Assert.That(sharp.Decoder, Is.InstanceOf<ImageSharpImageDecoder>());
        Assert.That(((ImageSharpImageDecoder)sharp.Decoder).MaxPixels, Is.EqualTo(1000));
        Assert.That(new ImageDecoderFactory(ImageDecoderKind.SkiaSharp).Decoder, Is.InstanceOf<SkiaImageDecoder>());
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ImageDecoderFactory((ImageDecoderKind)42));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ImageDecoderFactory(maxPixels: 0));
    }

    [Test]
    public void WrappingDecoder_ThatForwardsTheCapability_KeepsThePlanesPath()
    {
        YuvPreprocessingTests.RequireTurbo();
        var jpeg = TestImages.Quadrants(800, 400, SKEncodedImageFormat.Jpeg);
        var preprocessor = new TensorPreprocessor(new ModelInputSpec { Width = 64, Height = 64 });
        var wrapper = new CountingDecoder(new TurboJpegImageDecoder());

        using (var prepared = preprocessor.Prepare(wrapper, jpeg))
        {
            Assert.That(prepared.Planes, Is.Not.Null, "the wrapper forwards IYuvPlanarDecoder: the planes path is taken");
            Assert.That(prepared.Pixels, Is.Null);
        }

        Assert.That((wrapper.PlaneDecodes, wrapper.RgbaDecodes), Is.EqualTo((1, 0)));

        // The tensor is exactly what the wrapped decoder alone gives.
        var viaWrapper = new float[preprocessor.ElementsPerImage];
        var direct = new float[preprocessor.ElementsPerImage];
        var geometry = preprocessor.WriteEncoded(wrapper, jpeg, viaWrapper);
        Assert.That(preprocessor.WriteEncoded(new TurboJpegImageDecoder(), jpeg, direct), Is.EqualTo(geometry));
        Assert.That(viaWrapper, Is.EqualTo(direct));
    }

    [Test]
    public void WrappingDecoder_WithoutTheCapability_DecodesToRgba()
    {
        YuvPreprocessingTests.RequireTurbo();
        var jpeg = TestImages.Quadrants(800, 400, SKEncodedImageFormat.Jpeg);
        var preprocessor = new TensorPreprocessor(new ModelInputSpec { Width = 64, Height = 64 });
        var wrapper = new RgbaOnlyDecoder(new TurboJpegImageDecoder());

        using var prepared = preprocessor.Prepare(wrapper, jpeg);
        Assert.That(prepared.Pixels, Is.Not.Null);
        Assert.That(prepared.Planes, Is.Null);
    }

    /// <summary>A decoder that counts its calls and forwards both capabilities, as a caching or logging wrapper would.</summary>
    private sealed class CountingDecoder(TurboJpegImageDecoder inner) : IImageDecoder, IYuvPlanarDecoder
    {
        public int RgbaDecodes { get; private set; }

        public int PlaneDecodes { get; private set; }

        public ImageInfo Probe(ReadOnlySpan<byte> encoded) => inner.Probe(encoded);

        public DecodedImage Decode(ReadOnlySpan<byte> encoded, int targetWidth = 0, int targetHeight = 0)
        {
            RgbaDecodes++;
            return inner.Decode(encoded, targetWidth, targetHeight);
        }

        public YuvImage? TryDecodeYuv(ReadOnlySpan<byte> encoded, int targetWidth, int targetHeight)
        {
            PlaneDecodes++;
            return inner.TryDecodeYuv(encoded, targetWidth, targetHeight);
        }
    }

    /// <summary>A wrapper that forwards only <see cref="IImageDecoder"/>.</summary>
    private sealed class RgbaOnlyDecoder(IImageDecoder inner) : IImageDecoder
    {
        public ImageInfo Probe(ReadOnlySpan<byte> encoded) => inner.Probe(encoded);

        public DecodedImage Decode(ReadOnlySpan<byte> encoded, int targetWidth = 0, int targetHeight = 0) => inner.Decode(encoded, targetWidth, targetHeight);
    }
}
