namespace Rekognition.Training.Optimizers;

/// <summary>
/// Learning rate rising linearly from 0 over the warm-up steps, then following half a cosine from the base
/// rate down to the floor at the last step.
/// </summary>
internal sealed class WarmupCosineSchedule
{
    /// <summary>Creates the schedule.</summary>
    public WarmupCosineSchedule(float baseRate, long warmupSteps, long totalSteps, float floorRate = 0f)
    {
        if (totalSteps <= 0 || warmupSteps < 0 || warmupSteps > totalSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(totalSteps), "Need 0 ≤ warm-up ≤ total and total > 0.");
        }

        (BaseRate, WarmupSteps, TotalSteps, FloorRate) = (baseRate, warmupSteps, totalSteps, floorRate);
    }

    /// <summary>The peak rate, reached at the end of the warm-up.</summary>
    public float BaseRate { get; }

    /// <summary>The warm-up's length in steps.</summary>
    public long WarmupSteps { get; }

    /// <summary>The schedule's length in steps.</summary>
    public long TotalSteps { get; }

    /// <summary>The rate at the last step.</summary>
    public float FloorRate { get; }

    /// <summary>The rate for step <paramref name="step"/> (1-based: the first update is step 1).</summary>
    public float RateAt(long step)
    {
        if (step <= WarmupSteps)
        {
            return BaseRate * step / WarmupSteps;
        }

        var decaySteps = TotalSteps - WarmupSteps;
        var progress = decaySteps == 0 ? 1.0 : Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0, 1);
        return (float)(FloorRate + ((BaseRate - FloorRate) * 0.5 * (1 + Math.Cos(Math.PI * progress))));
    }
}
