namespace Rekognition.Core.Retraining;

/// <summary>
/// The retraining loop (not a service operation): a project's policy trains a new version when enough new labelled
/// images or reviewed feedback items have arrived, or on a schedule, and promotes its alias to the new version only
/// when the new version scores at least as well (F1, or mAP for detectors) on the same test set; every decision is
/// kept. The host checks the policies (<see cref="RekognitionHostOptions.RetrainingCheckInterval"/>); <see cref="CheckNowAsync"/>
/// runs the same check at once. Registered by AddRekognitionCustomLabels.
/// </summary>
public interface IRetrainingClient
{
    /// <summary>Creates or replaces a project's policy; the counts of its last training and a training under way are kept.</summary>
    /// <exception cref="Model.InvalidParameterException">The alias name or a threshold is not valid, or the policy has no trigger.</exception>
    /// <exception cref="Model.ResourceNotFoundException">There is no such project.</exception>
    Task PutRetrainingPolicyAsync(RetrainingPolicy policy, CancellationToken cancellationToken = default);

    /// <summary>A project's policy with where it stands now; null when the project has none.</summary>
    Task<RetrainingState?> GetRetrainingStateAsync(string projectArn, CancellationToken cancellationToken = default);

    /// <summary>Checks the project's policy once, as the host does: trains, waits, or decides a promotion. Returns what it did, in words.</summary>
    Task<string> CheckNowAsync(string projectArn, CancellationToken cancellationToken = default);

    /// <summary>The project's promotion decisions, newest first (at most <paramref name="limit"/>).</summary>
    Task<IReadOnlyList<PromotionDecision>> ListPromotionsAsync(string projectArn, int limit = 50, CancellationToken cancellationToken = default);
}
