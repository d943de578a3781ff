using Rekognition.Imaging.Decoding;

namespace Rekognition.Imaging.Tests;

public class SkiaImageDecoderTests : ImageDecoderTests
{
    protected override IImageDecoder CreateDecoder(long maxPixels = SkiaImageDecoder.DefaultMaxPixels) => new SkiaImageDecoder(maxPixels);
}
