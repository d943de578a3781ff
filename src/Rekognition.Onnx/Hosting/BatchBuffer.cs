using Microsoft.ML.OnnxRuntime;

namespace Rekognition.Onnx.Hosting;

/// <summary>
/// Pinned input memory for up to <see cref="Capacity"/> images, one slot per request of a batch, with an ONNX Runtime
/// tensor over its first n images for each batch size n (made on first use and kept), so a batch run copies nothing.
/// Reused from batch to batch by <see cref="RequestBatcher"/>.
/// </summary>
internal sealed class BatchBuffer : IDisposable
{
    private readonly float[] _memory;
    private readonly OrtValue?[] _values;
    private readonly long[] _imageShape;

    /// <param name="imageShape">One image's tensor shape with a leading batch dimension of 1 ([1, 3, H, W] or [1, H, W, 3]).</param>
    /// <param name="capacity">The most images it holds.</param>
    public BatchBuffer(long[] imageShape, int capacity)
    {
        _imageShape = imageShape;
        ElementsPerImage = checked((int)(imageShape[1] * imageShape[2] * imageShape[3]));
        Capacity = capacity;
        _memory = GC.AllocateArray<float>(checked(ElementsPerImage * capacity), pinned: true);
        _values = new OrtValue?[capacity];
    }

    public int Capacity { get; }

    public int ElementsPerImage { get; }

    /// <summary>Image <paramref name="slot"/>'s part of the tensor.</summary>
    public Span<float> Slot(int slot) => _memory.AsSpan(slot * ElementsPerImage, ElementsPerImage);

    /// <summary>The tensor over the first <paramref name="count"/> images.</summary>
    public OrtValue Value(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Capacity);
        var value = _values[count - 1];
        if (value is null)
        {
            var shape = (long[])_imageShape.Clone();
            shape[0] = count;
            value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _memory.AsMemory(0, count * ElementsPerImage), shape);
            _values[count - 1] = value;
        }

        return value;
    }

    public void Dispose()
    {
        foreach (var value in _values)
        {
            value?.Dispose();
        }
    }
}
