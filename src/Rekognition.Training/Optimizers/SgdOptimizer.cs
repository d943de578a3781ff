using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Rekognition.Training.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum (heavy-ball or Nesterov) and L2 weight decay, as
/// PyTorch's SGD: g ← g + λp; b ← μb + g; p ← p − lr·(Nesterov ? g + μb : b).
/// </summary>
internal sealed class SgdOptimizer : Optimizer
{
    private readonly float[][] _velocity;

    /// <summary>Creates the optimizer.</summary>
    public SgdOptimizer(IReadOnlyList<int> parameterSizes, float momentum = 0f, bool nesterov = false, float weightDecay = 0f)
        : base(parameterSizes)
    {
        if (nesterov && momentum <= 0f)
        {
            throw new ArgumentException("Nesterov momentum needs a positive momentum.", nameof(nesterov));
        }

        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
        _velocity = ParameterSizes.Select(n => momentum > 0f ? new float[n] : Array.Empty<float>()).ToArray();
    }

    /// <summary>The momentum μ.</summary>
    public float Momentum { get; }

    /// <summary>Whether the step looks ahead along the momentum (Nesterov).</summary>
    public bool Nesterov { get; }

    /// <summary>The L2 weight decay λ, added to the gradient.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc />
    /// <remarks>The velocity of every parameter (empty arrays without momentum).</remarks>
    public override IReadOnlyList<float[]> State => _velocity;

    /// <inheritdoc />
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient, float learningRate)
    {
        var velocity = _velocity[index].AsSpan();
        var (mu, wd, nesterov) = (Momentum, WeightDecay, Nesterov);
        var i = 0;
        if (Vector256.IsHardwareAccelerated && mu > 0f)
        {
            var ps = MemoryMarshal.Cast<float, Vector256<float>>(parameter);
            var gs = MemoryMarshal.Cast<float, Vector256<float>>(gradient);
            var vs = MemoryMarshal.Cast<float, Vector256<float>>(velocity);
            var (vmu, vwd, vlr) = (Vector256.Create(mu), Vector256.Create(wd), Vector256.Create(learningRate));
            for (var k = 0; k < ps.Length; k++)
            {
                var g = gs[k] + (vwd * ps[k]);
                var v = (vmu * vs[k]) + g;
                vs[k] = v;
                ps[k] -= vlr * (nesterov ? g + (vmu * v) : v);
            }

            i = ps.Length * Vector256<float>.Count;
        }

        for (; i < parameter.Length; i++)
        {
            var g = gradient[i] + (wd * parameter[i]);
            if (mu > 0f)
            {
                var v = (mu * velocity[i]) + g;
                velocity[i] = v;
                g = nesterov ? g + (mu * v) : v;
            }

            parameter[i] -= learningRate * g;
        }
    }
}
