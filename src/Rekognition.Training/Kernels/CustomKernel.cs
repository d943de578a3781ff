namespace Rekognition.Training.Kernels;

/// <summary>
/// An operator computed in C# inside ONNX Runtime (see <see cref="CustomOpDomain"/>): float tensors in and out,
/// integer attributes read once per node when the session creates its kernel.
/// </summary>
internal abstract class CustomKernel
{
    /// <summary>The node's op type in the custom domain.</summary>
    public abstract string OpType { get; }

    /// <summary>Number of float inputs.</summary>
    public abstract int Inputs { get; }

    /// <summary>Number of float outputs.</summary>
    public abstract int Outputs { get; }

    /// <summary>The integer attributes every node of this op carries, read in this order into <see cref="Compute"/>'s array.</summary>
    public virtual IReadOnlyList<string> IntAttributes => Array.Empty<string>();

    /// <summary>Runs the node: reads the inputs and writes the outputs through <paramref name="context"/>.</summary>
    public abstract void Compute(KernelContext context, long[] attributes);
}
