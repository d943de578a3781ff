namespace Rekognition.Core.Retraining;

/// <summary>A project's retraining policy.</summary>
public sealed class RetrainingPolicy
{
    /// <summary>The project.</summary>
    public string? ProjectArn { get; set; }

    /// <summary>The alias a new version is promoted to when it scores at least as well, e.g. <c>production</c>.</summary>
    public string? AliasName { get; set; }

    /// <summary>Whether the host checks the triggers (default true); a training under way is finished either way.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Trains when the training dataset has this many more labelled images than at the last training; null: not a trigger.</summary>
    public int? MinNewLabeledImages { get; set; }

    /// <summary>Trains when this many more feedback items were reviewed (accepted or corrected); null: not a trigger.</summary>
    public int? MinNewFeedbackItems { get; set; }

    /// <summary>Trains when this long has passed since the last training; null: no schedule.</summary>
    public TimeSpan? Schedule { get; set; }
}

/// <summary>A project's policy and where it stands.</summary>
/// <param name="Policy">The policy.</param>
/// <param name="NewLabeledImages">Labelled training images added since the last training.</param>
/// <param name="NewFeedbackItems">Feedback items reviewed since the last training.</param>
/// <param name="LastTraining">When the last training started (the policy's creation before the first).</param>
/// <param name="TrainingVersionArn">The version the loop trains now; null when none.</param>
/// <param name="LastOutcome">What came of the last training, in words.</param>
public sealed record RetrainingState(RetrainingPolicy Policy, long NewLabeledImages, long NewFeedbackItems, DateTime LastTraining, string? TrainingVersionArn, string? LastOutcome);

/// <summary>One promotion decision.</summary>
/// <param name="AliasName">The alias.</param>
/// <param name="CandidateVersionArn">The new version.</param>
/// <param name="PreviousVersionArn">The version the alias pointed at; null when none.</param>
/// <param name="Metric">F1 (classification) or mAP (detection).</param>
/// <param name="CandidateScore">The new version's score.</param>
/// <param name="PreviousScore">The previous version's score on the same test set; null when there was none to compare.</param>
/// <param name="Promoted">Whether the alias moved to the new version.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="Time">When (UTC).</param>
public sealed record PromotionDecision(string AliasName, string CandidateVersionArn, string? PreviousVersionArn, string Metric, double CandidateScore, double? PreviousScore, bool Promoted, string Reason, DateTime Time);
