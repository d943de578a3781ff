namespace Rekognition.Training.Optimizers;

/// <summary>
/// Updates parameters in place from their gradients, one step at a time, keeping its per-parameter state
/// (momentum, moments) in arrays allocated once, so a step allocates nothing.
/// </summary>
internal abstract class Optimizer
{
    /// <summary>Creates the optimizer for parameters of the given element counts.</summary>
    protected Optimizer(IReadOnlyList<int> parameterSizes)
    {
        ArgumentNullException.ThrowIfNull(parameterSizes);
        ParameterSizes = parameterSizes.ToArray();
    }

    /// <summary>The element count of each parameter.</summary>
    protected IReadOnlyList<int> ParameterSizes { get; }

    /// <summary>Steps taken so far.</summary>
    public long Steps { get; private set; }

    /// <summary>
    /// The per-parameter state buffers (moments, velocities) in a fixed order, live: a checkpoint copies them
    /// out, and <see cref="RestoreState"/> copies them back. Empty for a stateless optimizer.
    /// </summary>
    public virtual IReadOnlyList<float[]> State => Array.Empty<float[]>();

    /// <summary>Puts back the step count and the state buffers a checkpoint took from an optimizer of the same kind and sizes.</summary>
    public void RestoreState(long steps, IReadOnlyList<float[]> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var own = State;
        if (state.Count != own.Count)
        {
            throw new ArgumentException($"Expected {own.Count} optimizer state buffers, got {state.Count}.", nameof(state));
        }

        for (var i = 0; i < own.Count; i++)
        {
            if (state[i].Length != own[i].Length)
            {
                throw new ArgumentException($"Optimizer state buffer {i} must have {own[i].Length} elements.", nameof(state));
            }
        }

        for (var i = 0; i < own.Count; i++)
        {
            state[i].AsSpan().CopyTo(own[i]);
        }

        Steps = steps;
    }

    /// <summary>Applies one step to every parameter with learning rate <paramref name="learningRate"/>.</summary>
    public void Step(IReadOnlyList<float[]> parameters, IReadOnlyList<float[]> gradients, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        if (parameters.Count != ParameterSizes.Count || gradients.Count != ParameterSizes.Count)
        {
            throw new ArgumentException($"Expected {ParameterSizes.Count} parameters and gradients.");
        }

        Steps++;
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Length != ParameterSizes[i] || gradients[i].Length != ParameterSizes[i])
            {
                throw new ArgumentException($"Parameter {i} must have {ParameterSizes[i]} elements.");
            }

            Update(i, parameters[i], gradients[i], learningRate);
        }
    }

    /// <summary>Updates parameter <paramref name="index"/> in place (<see cref="Steps"/> already counts this step).</summary>
    protected abstract void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient, float learningRate);
}
