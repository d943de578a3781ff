using System.Buffers;
using System.Collections.Concurrent;
using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;
using Rekognition.Imaging.Preprocessing;

namespace Rekognition.Training.Data;

/// <summary>
/// Image files read, decoded, augmented and preprocessed when a batch asks for them, straight into the batch
/// slot (<see cref="TrainingBatch.Image"/>), on the worker threads that fill the batch: only the file names are
/// held, so memory follows the batch, not the dataset. Decoding uses a reduced-scale decode that just covers a
/// little more than the input (so crops keep their own pixels), and the resize and normalisation are the
/// <see cref="TensorPreprocessor"/> inference uses. Augmentation (see <see cref="ImageAugmentation"/>) draws only
/// from the generator it is given.
/// </summary>
/// <remarks>
/// Decoded images may be kept in a cache of at most <see cref="CacheBytes"/> bytes: the first images decoded
/// stay until the source is dropped and later ones are decoded every time. Shuffled epochs visit images in no
/// useful order, so keeping a fixed subset hits as often as any eviction policy would, without churn; a small
/// dataset fits whole and is decoded once.
/// </remarks>
internal sealed class StreamingImageSource : ISampleSource
{
    /// <summary>The default decoded-image cache (64 MiB).</summary>
    public const long DefaultCacheBytes = 64L << 20;

    private readonly string[] _paths;
    private readonly TensorPreprocessor _preprocessor;
    private readonly IImageDecoder _decoder;
    private readonly Func<string, Stream>? _open;
    private readonly ImageAugmentation _augmentation;
    private readonly ConcurrentDictionary<int, CachedImage> _cache = new();
    private readonly (int Width, int Height) _decodeTarget;
    private readonly float[] _toUnit = new float[3];
    private readonly float[] _fromUnitMul = new float[3];
    private readonly float[] _fromUnitAdd = new float[3];
    private readonly float[] _unitOffset = new float[3];
    private long _cachedBytes;

    /// <summary>Streams <paramref name="paths"/> for the input <paramref name="spec"/> describes.</summary>
    /// <param name="paths">The image files (JPEG or PNG).</param>
    /// <param name="spec">The model input: size, layout, scale and normalisation.</param>
    /// <param name="augmentation">What augmenting does; <see cref="ImageAugmentation.Default"/> when null.</param>
    /// <param name="cacheBytes">The most decoded pixels kept between epochs, in bytes (0: none).</param>
    /// <param name="decoder">The decoder; <see cref="ImageDecoderFactory.Default"/>'s (the fastest present) when null.</param>
    /// <param name="open">Opens an image file (a training job's <c>OpenImageFile</c>, confined to the store's roots); null opens it plainly.</param>
    public StreamingImageSource(IReadOnlyList<string> paths, ModelInputSpec spec, ImageAugmentation? augmentation = null, long cacheBytes = DefaultCacheBytes, IImageDecoder? decoder = null, Func<string, Stream>? open = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegative(cacheBytes);
        _paths = paths.ToArray();
        _preprocessor = new TensorPreprocessor(spec);
        _decoder = decoder ?? ImageDecoderFactory.Default.Decoder;
        _open = open;
        _augmentation = augmentation ?? ImageAugmentation.Default;
        _augmentation.Validate();
        CacheBytes = cacheBytes;
        var (width, height) = TensorPreprocessor.DecodeTarget(spec);
        _decodeTarget = ((width * 5) / 4, (height * 5) / 4);
        SampleShape = new[] { 3, spec.Height, spec.Width };
        for (var c = 0; c < 3; c++)
        {
            // Tensor value v of output channel c is (p·scale − mean)/std for a byte p; u = p/255 in [0, 1].
            var rgb = spec.Bgr ? 2 - c : c;
            var scale255 = spec.Scale * 255f;
            _toUnit[c] = spec.Std[rgb] / scale255;
            _unitOffset[c] = spec.Mean[rgb] / scale255;
            _fromUnitMul[c] = scale255 / spec.Std[rgb];
            _fromUnitAdd[c] = -spec.Mean[rgb] / spec.Std[rgb];
        }
    }

    /// <inheritdoc />
    public int Count => _paths.Length;

    /// <inheritdoc />
    public IReadOnlyList<int> SampleShape { get; }

    /// <summary>The most bytes of decoded pixels kept between epochs.</summary>
    public long CacheBytes { get; }

    /// <summary>Bytes of decoded pixels kept now.</summary>
    public long CachedBytes => Interlocked.Read(ref _cachedBytes);

    /// <inheritdoc />
    public void Write(int index, Span<float> destination, bool augment, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (_cache.TryGetValue(index, out var cached))
        {
            Write(cached.Pixels, cached.Width, cached.Height, destination, augment, random);
            return;
        }

        using var image = ImageFiles.Decode(_decoder, _paths[index], _decodeTarget.Width, _decodeTarget.Height, _open);
        Write(image.Pixels, image.Width, image.Height, destination, augment, random);
        var bytes = (long)image.Width * image.Height * 4;
        if (Interlocked.Add(ref _cachedBytes, bytes) <= CacheBytes)
        {
            if (!_cache.TryAdd(index, new CachedImage(image.Pixels.ToArray(), image.Width, image.Height)))
            {
                Interlocked.Add(ref _cachedBytes, -bytes);
            }
        }
        else
        {
            Interlocked.Add(ref _cachedBytes, -bytes);
        }
    }

    private void Write(ReadOnlySpan<byte> pixels, int width, int height, Span<float> destination, bool augment, Random random)
    {
        var rowBytes = width * 4;
        if (!augment)
        {
            _preprocessor.Write(pixels, width, height, rowBytes, destination);
            return;
        }

        var a = _augmentation;
        var area = a.MinScale + ((a.MaxScale - a.MinScale) * random.NextSingle());
        var logRatio = MathF.Log(a.MinRatio) + ((MathF.Log(a.MaxRatio) - MathF.Log(a.MinRatio)) * random.NextSingle());
        var ratio = MathF.Exp(logRatio);
        var cw = Math.Clamp((int)MathF.Round(width * MathF.Sqrt(area * ratio)), 1, width);
        var ch = Math.Clamp((int)MathF.Round(height * MathF.Sqrt(area / ratio)), 1, height);
        var x = random.Next(0, width - cw + 1);
        var y = random.Next(0, height - ch + 1);
        _preprocessor.Write(pixels[(((y * width) + x) * 4)..], cw, ch, rowBytes, destination);

        if (random.NextSingle() < a.FlipProbability)
        {
            Flip(destination);
        }

        var brightness = Factor(a.Brightness, random);
        var contrast = Factor(a.Contrast, random);
        var saturation = Factor(a.Saturation, random);
        if (brightness != 1f || contrast != 1f || saturation != 1f)
        {
            Jitter(destination, brightness, contrast, saturation);
        }
    }

    private static float Factor(float range, Random random) => range > 0 ? 1f + (range * ((2f * random.NextSingle()) - 1f)) : 1f;

    private void Flip(Span<float> tensor)
    {
        var (h, w) = (SampleShape[1], SampleShape[2]);
        if (_preprocessor.Spec.Layout == TensorLayout.NCHW)
        {
            for (var row = 0; row < 3 * h; row++)
            {
                tensor.Slice(row * w, w).Reverse();
            }

            return;
        }

        for (var row = 0; row < h; row++)
        {
            var line = tensor.Slice(row * w * 3, w * 3);
            for (int left = 0, right = w - 1; left < right; left++, right--)
            {
                for (var c = 0; c < 3; c++)
                {
                    (line[(left * 3) + c], line[(right * 3) + c]) = (line[(right * 3) + c], line[(left * 3) + c]);
                }
            }
        }
    }

    /// <summary>Brightness, then contrast about the image's mean grey, then saturation about each pixel's grey, on [0, 1] colours, clamped.</summary>
    private void Jitter(Span<float> tensor, float brightness, float contrast, float saturation)
    {
        var pixels = SampleShape[1] * SampleShape[2];
        var nchw = _preprocessor.Spec.Layout == TensorLayout.NCHW;
        var bgr = _preprocessor.Spec.Bgr;
        // Grey weights (ITU-R BT.601) per output channel.
        Span<float> weight = stackalloc float[3];
        for (var c = 0; c < 3; c++)
        {
            var rgb = bgr ? 2 - c : c;
            weight[c] = rgb switch { 0 => 0.299f, 1 => 0.587f, _ => 0.114f };
        }

        int At(int c, int i) => nchw ? (c * pixels) + i : (i * 3) + c;

        // Pass 1: to [0, 1] colours with brightness applied; the mean grey for contrast.
        double greySum = 0;
        for (var i = 0; i < pixels; i++)
        {
            float grey = 0;
            for (var c = 0; c < 3; c++)
            {
                ref var v = ref tensor[At(c, i)];
                var u = Math.Clamp(((v * _toUnit[c]) + _unitOffset[c]) * brightness, 0f, 1f);
                v = u;
                grey += weight[c] * u;
            }

            greySum += grey;
        }

        var meanGrey = (float)(greySum / pixels);
        Span<float> u3 = stackalloc float[3];
        for (var i = 0; i < pixels; i++)
        {
            float grey = 0;
            for (var c = 0; c < 3; c++)
            {
                u3[c] = Math.Clamp(((tensor[At(c, i)] - meanGrey) * contrast) + meanGrey, 0f, 1f);
                grey += weight[c] * u3[c];
            }

            for (var c = 0; c < 3; c++)
            {
                var u = Math.Clamp(grey + ((u3[c] - grey) * saturation), 0f, 1f);
                tensor[At(c, i)] = (u * _fromUnitMul[c]) + _fromUnitAdd[c];
            }
        }
    }

    private sealed record CachedImage(byte[] Pixels, int Width, int Height);
}
