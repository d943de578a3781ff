using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;
using Rekognition.Imaging.Preprocessing;

namespace Rekognition.Training.Data;

/// <summary>
/// Image files decoded once on worker threads (a reduced-scale decode just covering a little more than
/// the input size) and kept as RGBA; each write resizes the whole image, or a random crop of it with a
/// random horizontal flip when augmenting, through the same <see cref="TensorPreprocessor"/> inference uses.
/// Every image stays decoded in memory for the source's lifetime: trainers use <see cref="StreamingImageSource"/>,
/// whose memory follows the batch; this one remains for small fixed sets where decoding once is all that matters.
/// </summary>
internal sealed class DecodedImageSource : ISampleSource
{
    private readonly (byte[] Pixels, int Width, int Height)[] _images;
    private readonly TensorPreprocessor _preprocessor;

    /// <summary>
    /// Decodes <paramref name="paths"/> for the input described by <paramref name="spec"/> with <paramref name="decoder"/>
    /// (<see cref="ImageDecoderFactory.Default"/>'s when null).
    /// </summary>
    public DecodedImageSource(IReadOnlyList<string> paths, ModelInputSpec spec, IImageDecoder? decoder = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(spec);
        _preprocessor = new TensorPreprocessor(spec);
        _images = new (byte[], int, int)[paths.Count];
        decoder ??= ImageDecoderFactory.Default.Decoder;
        // Decode a little larger than the input so crops still have their own pixels.
        var (width, height) = TensorPreprocessor.DecodeTarget(spec);
        var (tw, th) = ((width * 5) / 4, (height * 5) / 4);
        Parallel.For(0, paths.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            using var image = decoder.Decode(File.ReadAllBytes(paths[i]), tw, th);
            var packed = new byte[image.Width * image.Height * 4];
            for (var y = 0; y < image.Height; y++)
            {
                image.Pixels.Slice(y * image.RowBytes, image.Width * 4).CopyTo(packed.AsSpan(y * image.Width * 4));
            }

            _images[i] = (packed, image.Width, image.Height);
        });
        SampleShape = new[] { 3, spec.Height, spec.Width };
    }

    /// <inheritdoc />
    public int Count => _images.Length;

    /// <inheritdoc />
    public IReadOnlyList<int> SampleShape { get; }

    /// <summary>The smallest share of the image's area a random crop keeps.</summary>
    public float MinCropArea { get; init; } = 0.6f;

    /// <inheritdoc />
    public void Write(int index, Span<float> destination, bool augment, Random random)
    {
        var (pixels, width, height) = _images[index];
        if (!augment)
        {
            _preprocessor.Write(pixels, width, height, width * 4, destination);
            return;
        }

        // Random crop: area share in [MinCropArea, 1], aspect ratio in [3/4, 4/3].
        var area = MinCropArea + ((1 - MinCropArea) * random.NextSingle());
        var aspect = MathF.Exp((random.NextSingle() - 0.5f) * 2 * MathF.Log(4f / 3f));
        var cw = Math.Clamp((int)MathF.Round(width * MathF.Sqrt(area * aspect)), 1, width);
        var ch = Math.Clamp((int)MathF.Round(height * MathF.Sqrt(area / aspect)), 1, height);
        var x = random.Next(0, width - cw + 1);
        var y = random.Next(0, height - ch + 1);
        var offset = ((y * width) + x) * 4;
        _preprocessor.Write(pixels.AsSpan(offset), cw, ch, width * 4, destination);

        if (random.Next(2) == 1)
        {
            var (sw, sh) = (SampleShape[2], SampleShape[1]);
            for (var row = 0; row < 3 * sh; row++)
            {
                destination.Slice(row * sw, sw).Reverse();
            }
        }
    }
}
