namespace Rekognition.Training.Trainers;

/// <summary>
/// The training loss stopped being a finite number: the model diverged (a learning rate too high for the
/// data, or inputs holding NaN). Training stops at that step, before the optimizer or a checkpoint takes the
/// broken values; CreateProjectVersion reports it as TRAINING_FAILED with this message.
/// </summary>
internal sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the step that produced <paramref name="loss"/>.</summary>
    public TrainingDivergedException(int epoch, int step, float loss)
        : base($"The training loss became {(float.IsNaN(loss) ? "NaN" : "infinite")} at epoch {epoch}, step {step}: the model diverged. " +
            "Lower the learning rate, or check the images and labels for invalid values.")
    {
        (Epoch, Step, Loss) = (epoch, step, loss);
    }

    /// <summary>The epoch (from 1) where it happened.</summary>
    public int Epoch { get; }

    /// <summary>The step within the epoch (from 1).</summary>
    public int Step { get; }

    /// <summary>The loss value (NaN or infinite).</summary>
    public float Loss { get; }
}
