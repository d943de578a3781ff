using BenchmarkDotNet.Attributes;
using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;
using Rekognition.Imaging.Preprocessing;

namespace Rekognition.Benchmarks.Imaging;

/// <summary>
/// Decode + preprocess of a 1920x1080 quality-90 JPEG into a 224x224 NCHW tensor, one thread: the peer is
/// OpenCV's reduced decode (prep_opencv.py's r4_total: IMREAD_REDUCED_COLOR_4 + INTER_LINEAR + numpy normalize)
/// on the same file. Target: at most 0.8x OpenCV's time. SkiaSharp's bundled libjpeg-turbo is built without its
/// SIMD kernels, so the Turbo methods (the system's libjpeg-turbo, the library OpenCV uses) are the comparable ones.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ImagingDecodePreprocessBenchmarks
{
    private byte[] _jpeg = null!;
    private float[] _tensor = null!;
    private SkiaImageDecoder _decoder = null!;
    private TurboJpegImageDecoder? _turbo;
    private TensorPreprocessor _preprocessor = null!;

    [GlobalSetup]
    public void Setup()
    {
        _jpeg = BenchmarkJpeg.Load();
        _decoder = new SkiaImageDecoder();
        _turbo = TurboJpegImageDecoder.IsAvailable ? new TurboJpegImageDecoder() : null;
        _preprocessor = new TensorPreprocessor(new ModelInputSpec { Width = 224, Height = 224 });
        _tensor = new float[_preprocessor.ElementsPerImage];
    }

    /// <summary>The codec's 1/4 scaled decode (480x270), then the preprocessor.</summary>
    [Benchmark(Baseline = true)]
    public void ScaledDecodeAndPreprocess()
    {
        using var image = _decoder.Decode(_jpeg, 224, 224);
        _preprocessor.Write(image, _tensor);
    }

    [Benchmark]
    public void ScaledDecodeOnly()
    {
        using var image = _decoder.Decode(_jpeg, 224, 224);
    }

    [Benchmark]
    public void FullDecodeAndPreprocess()
    {
        using var image = _decoder.Decode(_jpeg);
        _preprocessor.Write(image, _tensor);
    }

    /// <summary>The same through the system's libjpeg-turbo (SIMD), where installed.</summary>
    [Benchmark]
    public void TurboScaledDecodeAndPreprocess()
    {
        using var image = (_turbo ?? throw new InvalidOperationException("no libturbojpeg on this machine")).Decode(_jpeg, 224, 224);
        _preprocessor.Write(image, _tensor);
    }

    /// <summary>
    /// The planes path: TurboJPEG's raw Y, Cb, Cr at 1/4 (no libjpeg upsampling or colour conversion), resized and
    /// converted to RGB at 224x224 in the same pass that normalizes into the tensor.
    /// </summary>
    [Benchmark]
    public void TurboYuvPlanesDecodeAndPreprocess() =>
        _preprocessor.WriteEncoded(_turbo ?? throw new InvalidOperationException("no libturbojpeg on this machine"), _jpeg, _tensor);

    [Benchmark]
    public void TurboYuvPlanesDecodeOnly()
    {
        using var planes = (_turbo ?? throw new InvalidOperationException("no libturbojpeg on this machine")).TryDecodeYuv(_jpeg, 224, 224);
    }

    [Benchmark]
    public void TurboScaledDecodeOnly()
    {
        using var image = (_turbo ?? throw new InvalidOperationException("no libturbojpeg on this machine")).Decode(_jpeg, 224, 224);
    }

    [Benchmark]
    public void HeaderProbe() => _decoder.Probe(_jpeg);
}
