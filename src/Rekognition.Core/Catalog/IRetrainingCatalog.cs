namespace Rekognition.Core.Catalog;

/// <summary>
/// The retraining loop's state (schema 6): one policy per project (when to train a new version and which alias it may
/// be promoted to) with the counts seen at its last training, and the history of promotion decisions.
/// </summary>
public interface IRetrainingCatalog
{
    /// <summary>
    /// Creates or replaces a project's policy settings. A new policy counts from <paramref name="labeledMark"/> and
    /// <paramref name="feedbackMark"/> (what there is now); an existing one keeps its marks and any training under way.
    /// </summary>
    void PutPolicy(long projectId, RetrainingSettings settings, long labeledMark, long feedbackMark, long nowMs);

    /// <summary>A project's policy; null when it has none.</summary>
    RetrainingPolicyRecord? FindPolicy(long projectId);

    /// <summary>The projects whose policy is enabled or has a training under way.</summary>
    IReadOnlyList<long> ActiveProjects();

    /// <summary>
    /// Records <paramref name="versionArn"/> as the training under way, with the counts it starts from, when the one under
    /// way is still <paramref name="expectedPending"/> (null: none, which claims the policy). False when another host was first.
    /// </summary>
    bool TryBeginTraining(long projectId, string? expectedPending, string versionArn, long labeledMark, long feedbackMark, long nowMs);

    /// <summary>Ends the training under way when it is still <paramref name="versionArn"/>, with what came of it; false when another host ended it.</summary>
    bool TryEndTraining(long projectId, string versionArn, string outcome, long nowMs);

    /// <summary>Adds a promotion decision to the project's history.</summary>
    void AddPromotion(PromotionRecord promotion);

    /// <summary>A project's promotion decisions, newest first.</summary>
    IReadOnlyList<PromotionRecord> ListPromotions(long projectId, int limit);
}

/// <summary>When a project retrains and which alias a new version may take over.</summary>
/// <param name="AliasName">The alias a better-or-equal new version is promoted to.</param>
/// <param name="Enabled">Whether the host checks the triggers.</param>
/// <param name="MinNewLabeledImages">Train when the training dataset has this many more labelled images than at the last training; null: not a trigger.</param>
/// <param name="MinNewFeedbackItems">Train when this many more feedback items were reviewed; null: not a trigger.</param>
/// <param name="EveryMs">Train when this long has passed since the last training; null: no schedule.</param>
public sealed record RetrainingSettings(string AliasName, bool Enabled, int? MinNewLabeledImages, int? MinNewFeedbackItems, long? EveryMs);

/// <summary>A project's policy with its state.</summary>
/// <param name="ProjectId">The project.</param>
/// <param name="Settings">Its triggers and alias.</param>
/// <param name="LabeledMark">Labelled training images when the last training started.</param>
/// <param name="FeedbackMark">Reviewed feedback items when the last training started.</param>
/// <param name="LastTrainingMs">When the last training started (the policy's creation before the first).</param>
/// <param name="PendingVersionArn">The version the loop trains now; null when none.</param>
/// <param name="LastOutcome">What came of the last training, in words.</param>
public sealed record RetrainingPolicyRecord(long ProjectId, RetrainingSettings Settings, long LabeledMark, long FeedbackMark, long LastTrainingMs, string? PendingVersionArn, string? LastOutcome);

/// <summary>One promotion decision: a new version compared with the one the alias pointed at, on the same test set.</summary>
/// <param name="ProjectId">The project.</param>
/// <param name="AliasName">The alias.</param>
/// <param name="CandidateArn">The new version.</param>
/// <param name="PreviousArn">The version the alias pointed at; null when there was none.</param>
/// <param name="Metric">F1 (classification) or mAP (detection).</param>
/// <param name="CandidateScore">The new version's score.</param>
/// <param name="PreviousScore">The previous version's score on the same test set; null when there was none.</param>
/// <param name="Promoted">Whether the alias moved to the new version.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="AtMs">When (Unix milliseconds).</param>
public sealed record PromotionRecord(long ProjectId, string AliasName, string CandidateArn, string? PreviousArn, string Metric, double CandidateScore, double? PreviousScore, bool Promoted, string Reason, long AtMs);
