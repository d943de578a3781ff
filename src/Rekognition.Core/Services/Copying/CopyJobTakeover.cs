using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.Core.Services.Jobs;

namespace Rekognition.Core.Services.Copying;

/// <summary>
/// A copy job whose host died: only that host could reach the copy's source (another store of its process), so the
/// host taking the job over records the copy as failed, which also frees its slot of the copy quota.
/// </summary>
internal sealed class CopyJobTakeover(IVersionCatalog versions) : IJobHandler
{
    /// <inheritdoc/>
    public IReadOnlyCollection<JobKind> Kinds { get; } = [JobKind.CopyVersion];

    /// <inheritdoc/>
    public Task RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        if (versions.FindByArn(job.ResourceArn) is { Status: "COPYING_IN_PROGRESS" } copy)
        {
            versions.TryFinishCopy(copy.Id, ProjectVersionStatus.COPYING_FAILED.Value,
                "The copy stopped because the process running it ended. Copy the model again with CopyProjectVersion.", null, copy.Details);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public void RecordFailure(JobRecord job, string message)
    {
        if (versions.FindByArn(job.ResourceArn) is { Status: "COPYING_IN_PROGRESS" } copy)
        {
            versions.TryFinishCopy(copy.Id, ProjectVersionStatus.COPYING_FAILED.Value, message, null, copy.Details);
        }
    }
}
