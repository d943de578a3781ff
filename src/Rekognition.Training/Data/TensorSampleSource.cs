namespace Rekognition.Training.Data;

/// <summary>
/// Samples already held as normalised tensors (e.g. MNIST digits); augmentation shifts the image by up to
/// <see cref="MaxShift"/> pixels, filling with the background value.
/// </summary>
internal sealed class TensorSampleSource : ISampleSource
{
    private readonly float[] _data;
    private readonly int _channels;
    private readonly int _height;
    private readonly int _width;
    private readonly float _background;

    /// <summary>Wraps <paramref name="data"/>, row-major [count, channels, height, width].</summary>
    public TensorSampleSource(float[] data, int channels, int height, int width, float background = 0f, int maxShift = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        var per = channels * height * width;
        if (per == 0 || data.Length % per != 0)
        {
            throw new ArgumentException("The data is not a whole number of samples.", nameof(data));
        }

        (_data, _channels, _height, _width, _background, MaxShift) = (data, channels, height, width, background, maxShift);
        Count = data.Length / per;
        SampleShape = new[] { channels, height, width };
    }

    /// <inheritdoc />
    public int Count { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> SampleShape { get; }

    /// <summary>The largest shift augmentation applies, in pixels, each direction.</summary>
    public int MaxShift { get; }

    /// <inheritdoc />
    public void Write(int index, Span<float> destination, bool augment, Random random)
    {
        var per = _channels * _height * _width;
        var source = _data.AsSpan(index * per, per);
        if (!augment || MaxShift == 0)
        {
            source.CopyTo(destination);
            return;
        }

        var dx = random.Next(-MaxShift, MaxShift + 1);
        var dy = random.Next(-MaxShift, MaxShift + 1);
        destination.Fill(_background);
        var xFrom = Math.Max(0, -dx);
        var xTo = Math.Min(_width, _width - dx);
        for (var c = 0; c < _channels; c++)
        {
            for (var y = Math.Max(0, -dy); y < Math.Min(_height, _height - dy); y++)
            {
                var src = source.Slice((c * _height * _width) + (y * _width) + xFrom, xTo - xFrom);
                src.CopyTo(destination.Slice((c * _height * _width) + ((y + dy) * _width) + xFrom + dx));
            }
        }
    }
}
