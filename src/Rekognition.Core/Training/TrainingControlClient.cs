using Rekognition.Core.Model;
using Rekognition.Core.Services.Training;

namespace Rekognition.Core.Training;

/// <summary>Training control over the training service the AWS-shaped client uses.</summary>
internal sealed class TrainingControlClient(TrainingService training) : ITrainingControlClient
{
    /// <inheritdoc />
    public Task<CreateProjectVersionResponse> CreateProjectVersionAsync(CreateProjectVersionRequest request, TrainingRunOptions run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(run);
        return Task.FromResult(training.Create(request, run));
    }

    /// <inheritdoc />
    public bool CancelTraining(string projectVersionArn) => training.Cancel(projectVersionArn);
}
