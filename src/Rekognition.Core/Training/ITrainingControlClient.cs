using Rekognition.Core.Model;

namespace Rekognition.Core.Training;

/// <summary>
/// Training with what the service does not take (not service operations): a progress receiver and a backbone for
/// transfer learning, and stopping a training. Registered by AddRekognitionCustomLabels.
/// </summary>
public interface ITrainingControlClient
{
    /// <summary>
    /// CreateProjectVersion with a progress receiver (epoch, loss, time left; also in DescribeProjectVersions'
    /// StatusMessage) and a backbone for transfer learning. <see cref="CancelTraining"/> stops it.
    /// </summary>
    Task<CreateProjectVersionResponse> CreateProjectVersionAsync(CreateProjectVersionRequest request, TrainingRunOptions run, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stops a training wherever it runs: at once on this host, else within a third of <c>Host:LeaseDuration</c> on the
    /// host holding it (the request is recorded in the shared catalog); the version ends TRAINING_FAILED (the service has
    /// no way to stop a training). Returns false when no training of that version is queued or running.
    /// </summary>
    bool CancelTraining(string projectVersionArn);
}
