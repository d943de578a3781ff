namespace Rekognition.Training.Optimizers;

/// <summary>
/// Updates parameters in place from their gradients, one step at a time, keeping its per-parameter state
/// (momentum, moments) in arrays allocated once, so a step allocates nothing.
/// </summary>
public abstract class Optimizer
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
