using System.Runtime.InteropServices;

namespace Rekognition.Training.Kernels;

/// <summary>One float tensor of a running custom kernel: its data (owned by ONNX Runtime) and shape.</summary>
internal readonly unsafe record struct KernelTensor(nint Data, long[] Shape)
{
    /// <summary>The elements, valid while the kernel runs.</summary>
    public float* Pointer => (float*)Data;

    /// <summary>The number of elements.</summary>
    public long Count => Shape.Aggregate(1L, (p, d) => p * d);
}

/// <summary>ONNX Runtime's OrtKernelContext as a custom kernel sees it: inputs, outputs and the session's intra-op pool.</summary>
internal readonly unsafe struct KernelContext
{
    private readonly nint _context;

    public KernelContext(nint context) => _context = context;

    /// <summary>Input <paramref name="index"/>.</summary>
    public KernelTensor Input(int index)
    {
        var value = OrtApiTable.KernelInput(_context, index);
        return new KernelTensor((nint)OrtApiTable.TensorData(value), OrtApiTable.TensorShape(value));
    }

    /// <summary>Output <paramref name="index"/>, allocated by ONNX Runtime with <paramref name="shape"/>.</summary>
    public KernelTensor Output(int index, long[] shape)
    {
        var value = OrtApiTable.KernelOutput(_context, index, shape);
        return new KernelTensor((nint)OrtApiTable.TensorData(value), shape);
    }

    /// <summary>
    /// Runs <paramref name="body"/>(i) for i in [0, <paramref name="total"/>) on the session's intra-op threads
    /// (the calling thread among them), so a kernel uses exactly the threads the session was given.
    /// </summary>
    public void ParallelFor(int total, Action<int> body)
    {
        if (total <= 1)
        {
            for (var i = 0; i < total; i++)
            {
                body(i);
            }

            return;
        }

        var work = new ParallelWork(body);
        var handle = GCHandle.Alloc(work);
        try
        {
            OrtApiTable.ParallelFor(_context, &ParallelWork.Run, total, (void*)GCHandle.ToIntPtr(handle));
        }
        finally
        {
            handle.Free();
        }

        if (work.Error is { } error)
        {
            throw new InvalidOperationException($"A custom kernel's parallel part failed: {error.Message}", error);
        }
    }

    /// <summary>The body of a <see cref="ParallelFor"/> and the first exception it threw (exceptions must not cross into native code).</summary>
    private sealed class ParallelWork(Action<int> body)
    {
        public Action<int> Body { get; } = body;

        public Exception? Error { get; set; }

        [UnmanagedCallersOnly]
        public static void Run(void* data, nuint index)
        {
            var work = (ParallelWork)GCHandle.FromIntPtr((nint)data).Target!;
            try
            {
                work.Body((int)index);
            }
            catch (Exception ex)
            {
                work.Error ??= ex;
            }
        }
    }
}
