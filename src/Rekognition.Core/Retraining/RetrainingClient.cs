using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;
using Rekognition.Core.Services;

namespace Rekognition.Core.Retraining;

/// <summary>Policies and promotion history in the catalog; checks run through <see cref="RetrainingRunner"/>, as the host's do.</summary>
internal sealed class RetrainingClient(IRetrainingCatalog retraining, RetrainingRunner runner, ResourceLookup lookup, StoreClock clock) : IRetrainingClient
{
    /// <summary>The most a trigger may ask for: the service's 250,000 images in a dataset.</summary>
    private const int MaxThreshold = 250_000;

    /// <inheritdoc />
    public async Task PutRetrainingPolicyAsync(RetrainingPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        RequestValidation.Arn(policy.ProjectArn, "ProjectArn", Arns.ResourceKind.Project);
        var alias = RequestValidation.ProjectName(policy.AliasName, "AliasName");
        Threshold(policy.MinNewLabeledImages, "MinNewLabeledImages");
        Threshold(policy.MinNewFeedbackItems, "MinNewFeedbackItems");
        if (policy.Schedule is { } schedule && (schedule < TimeSpan.FromMinutes(1) || schedule > TimeSpan.FromDays(366)))
        {
            throw new InvalidParameterException($"Schedule must be between 1 minute and 366 days (got {schedule}).");
        }

        if (policy.MinNewLabeledImages is null && policy.MinNewFeedbackItems is null && policy.Schedule is null)
        {
            throw new InvalidParameterException("A retraining policy needs a trigger: MinNewLabeledImages, MinNewFeedbackItems or Schedule.");
        }

        var project = lookup.Project(policy.ProjectArn!);
        // A new policy counts what arrives from now on.
        var labeled = await runner.TrainingImagesAsync(project, cancellationToken).ConfigureAwait(false);
        var reviewed = await runner.ReviewedFeedbackAsync(project, cancellationToken).ConfigureAwait(false);
        retraining.PutPolicy(project.Id, new RetrainingSettings(alias, policy.Enabled, policy.MinNewLabeledImages, policy.MinNewFeedbackItems,
            policy.Schedule is { } s ? (long)s.TotalMilliseconds : null), labeled, reviewed.Count, clock.NowMs());
    }

    /// <inheritdoc />
    public async Task<RetrainingState?> GetRetrainingStateAsync(string projectArn, CancellationToken cancellationToken = default)
    {
        RequestValidation.Arn(projectArn, "ProjectArn", Arns.ResourceKind.Project);
        var project = lookup.Project(projectArn);
        if (retraining.FindPolicy(project.Id) is not { } record)
        {
            return null;
        }

        var reviewed = await runner.ReviewedFeedbackAsync(project, cancellationToken).ConfigureAwait(false);
        var labeled = await runner.TrainingImagesAsync(project, cancellationToken).ConfigureAwait(false);
        var s = record.Settings;
        var policy = new RetrainingPolicy
        {
            ProjectArn = project.Arn,
            AliasName = s.AliasName,
            Enabled = s.Enabled,
            MinNewLabeledImages = s.MinNewLabeledImages,
            MinNewFeedbackItems = s.MinNewFeedbackItems,
            Schedule = s.EveryMs is { } every ? TimeSpan.FromMilliseconds(every) : null,
        };
        var pending = record.PendingVersionArn is { } arn && arn.StartsWith("arn:", StringComparison.Ordinal) ? arn : null;
        return new RetrainingState(policy, Math.Max(0, labeled - record.LabeledMark), Math.Max(0, reviewed.Count - record.FeedbackMark),
            StoreClock.FromMs(record.LastTrainingMs), pending, record.LastOutcome);
    }

    /// <inheritdoc />
    public Task<string> CheckNowAsync(string projectArn, CancellationToken cancellationToken = default)
    {
        RequestValidation.Arn(projectArn, "ProjectArn", Arns.ResourceKind.Project);
        return runner.CheckAsync(lookup.Project(projectArn), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PromotionDecision>> ListPromotionsAsync(string projectArn, int limit = 50, CancellationToken cancellationToken = default)
    {
        RequestValidation.Arn(projectArn, "ProjectArn", Arns.ResourceKind.Project);
        if (limit is < 1 or > 1000)
        {
            throw new InvalidParameterException($"limit must be between 1 and 1000 (got {limit}).");
        }

        var project = lookup.Project(projectArn);
        IReadOnlyList<PromotionDecision> decisions = [.. retraining.ListPromotions(project.Id, limit).Select(p =>
            new PromotionDecision(p.AliasName, p.CandidateArn, p.PreviousArn, p.Metric, p.CandidateScore, p.PreviousScore, p.Promoted, p.Reason, StoreClock.FromMs(p.AtMs)))];
        return Task.FromResult(decisions);
    }

    private static void Threshold(int? value, string name)
    {
        if (value is < 1 or > MaxThreshold)
        {
            throw new InvalidParameterException($"{name} must be between 1 and {MaxThreshold} (got {value}).");
        }
    }
}
