using System.Numerics.Tensors;

namespace Rekognition.Training.Optimizers;

/// <summary>Global-norm gradient clipping: when the norm of all gradients together exceeds the limit, all are scaled down by one factor.</summary>
internal static class GradientClipping
{
    /// <summary>Scales <paramref name="gradients"/> in place so their global L2 norm is at most <paramref name="maxNorm"/>; returns the norm before clipping.</summary>
    public static float ClipGlobalNorm(IReadOnlyList<float[]> gradients, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        double squares = 0;
        for (var i = 0; i < gradients.Count; i++)
        {
            var norm = TensorPrimitives.Norm<float>(gradients[i]);
            squares += (double)norm * norm;
        }

        var total = (float)Math.Sqrt(squares);
        if (total > maxNorm && total > 0f)
        {
            var scale = maxNorm / (total + 1e-6f);
            for (var i = 0; i < gradients.Count; i++)
            {
                TensorPrimitives.Multiply(gradients[i], scale, gradients[i]);
            }
        }

        return total;
    }
}
