using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Rekognition.Training.Optimizers;

/// <summary>
/// Adam with decoupled weight decay (AdamW; with decay 0 it is Adam), as PyTorch computes it:
/// p ← p(1 − lr·λ); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
/// p ← p − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
/// </summary>
internal sealed class AdamWOptimizer : Optimizer
{
    private readonly float[][] _first;
    private readonly float[][] _second;

    /// <summary>Creates the optimizer.</summary>
    public AdamWOptimizer(IReadOnlyList<int> parameterSizes, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.01f)
        : base(parameterSizes)
    {
        (Beta1, Beta2, Epsilon, WeightDecay) = (beta1, beta2, epsilon, weightDecay);
        _first = ParameterSizes.Select(n => new float[n]).ToArray();
        _second = ParameterSizes.Select(n => new float[n]).ToArray();
    }

    /// <summary>The first-moment decay β₁.</summary>
    public float Beta1 { get; }

    /// <summary>The second-moment decay β₂.</summary>
    public float Beta2 { get; }

    /// <summary>The denominator's ε.</summary>
    public float Epsilon { get; }

    /// <summary>The decoupled weight decay λ.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc />
    /// <remarks>The first moments of every parameter, then the second moments.</remarks>
    public override IReadOnlyList<float[]> State => _first.Concat(_second).ToArray();

    /// <inheritdoc />
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient, float learningRate)
    {
        var m = _first[index].AsSpan();
        var v = _second[index].AsSpan();
        var (b1, b2) = (Beta1, Beta2);
        var stepSize = (float)(learningRate / (1 - Math.Pow(b1, Steps)));
        var inverseRootCorrection = (float)(1 / Math.Sqrt(1 - Math.Pow(b2, Steps)));
        var decay = 1f - (learningRate * WeightDecay);
        var eps = Epsilon;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var ps = MemoryMarshal.Cast<float, Vector256<float>>(parameter);
            var gs = MemoryMarshal.Cast<float, Vector256<float>>(gradient);
            var ms = MemoryMarshal.Cast<float, Vector256<float>>(m);
            var vs = MemoryMarshal.Cast<float, Vector256<float>>(v);
            var (vb1, vb1c, vb2, vb2c) = (Vector256.Create(b1), Vector256.Create(1f - b1), Vector256.Create(b2), Vector256.Create(1f - b2));
            var (vstep, vroot, veps, vdecay) = (Vector256.Create(stepSize), Vector256.Create(inverseRootCorrection), Vector256.Create(eps), Vector256.Create(decay));
            for (var k = 0; k < ps.Length; k++)
            {
                var g = gs[k];
                var mk = (vb1 * ms[k]) + (vb1c * g);
                var vk = (vb2 * vs[k]) + (vb2c * g * g);
                ms[k] = mk;
                vs[k] = vk;
                ps[k] = (ps[k] * vdecay) - (vstep * mk / ((Vector256.Sqrt(vk) * vroot) + veps));
            }

            i = ps.Length * Vector256<float>.Count;
        }

        for (; i < parameter.Length; i++)
        {
            var g = gradient[i];
            var mk = (b1 * m[i]) + ((1f - b1) * g);
            var vk = (b2 * v[i]) + ((1f - b2) * g * g);
            m[i] = mk;
            v[i] = vk;
            parameter[i] = (parameter[i] * decay) - (stepSize * mk / ((MathF.Sqrt(vk) * inverseRootCorrection) + eps));
        }
    }
}
