namespace Rekognition.Training.Checkpoints;

/// <summary>Where and how often a <see cref="Trainers.TrainingLoop"/> checkpoints, and which job the checkpoints belong to.</summary>
/// <param name="Directory">The folder of the checkpoint file (created when needed).</param>
/// <param name="Fingerprint">Names the job (see <see cref="TrainingFingerprint"/>); a checkpoint with another one is ignored and later replaced.</param>
/// <param name="EveryEpochs">Saves after every this many epochs, and after the last one.</param>
internal sealed record CheckpointOptions(string Directory, string Fingerprint, int EveryEpochs = 1)
{
    /// <summary>The checkpoint file.</summary>
    public string FilePath => TrainingCheckpoint.PathIn(Directory);

    /// <summary>
    /// Checkpoints for <paramref name="job"/> in its <see cref="Core.Training.TrainingJob.CheckpointDirectory"/> (where the store
    /// looks after a crash), fingerprinted with the job and <paramref name="settings"/> (leave out settings that do not change
    /// the result, such as thread counts).
    /// </summary>
    public static CheckpointOptions ForJob(Core.Training.TrainingJob job, int everyEpochs, params object?[] settings)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new CheckpointOptions(job.CheckpointDirectory, TrainingFingerprint.Of(job, settings), everyEpochs);
    }
}
