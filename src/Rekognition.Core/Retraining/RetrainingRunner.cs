using Microsoft.Extensions.Logging;
using Rekognition.Core.Catalog;
using Rekognition.Core.Feedback;
using Rekognition.Core.Model;
using Rekognition.Core.Promotion;
using Rekognition.Core.Services;

namespace Rekognition.Core.Retraining;

/// <summary>
/// One check of a project's policy: finishes the training under way (a promotion decision once it completes) or, when
/// a trigger is due, adds the reviewed feedback to the training dataset and trains the next version. Every step that
/// two hosts could both take is claimed in the catalog first, so several hosts checking the same policy train once.
/// </summary>
internal sealed class RetrainingRunner(
    IAmazonRekognition client,
    IRetrainingCatalog retraining,
    IVersionCatalog versions,
    IEntryCatalog entries,
    ResourceLookup lookup,
    IFeedbackClient feedback,
    IModelAliasClient aliasClient,
    PromotionGate gate,
    StoreClock clock,
    ILogger<RetrainingRunner> logger)
{
    // A claim whose training never got created (its host ended in between) is given up after this long.
    private static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan DatasetUpdateTimeout = TimeSpan.FromMinutes(5);
    private const string ClaimPrefix = "claim:";

    public async Task<string> CheckAsync(ProjectRecord project, CancellationToken ct)
    {
        var policy = retraining.FindPolicy(project.Id);
        if (policy is null)
        {
            return "The project has no retraining policy.";
        }

        if (policy.PendingVersionArn is { } pending)
        {
            return await FinishAsync(project, policy, pending, ct).ConfigureAwait(false);
        }

        if (!policy.Settings.Enabled)
        {
            return "The policy is disabled.";
        }

        var train = await TrainingDatasetAsync(project, ct).ConfigureAwait(false);
        if (train is null)
        {
            return "The project has no training dataset.";
        }

        var labeled = await LabeledImagesAsync(train, ct).ConfigureAwait(false);
        var reviewed = await ReviewedFeedbackAsync(project, ct).ConfigureAwait(false);
        var now = clock.NowMs();
        var due = Due(policy, labeled, reviewed.Count, now);
        if (due is null)
        {
            return $"Waiting: {labeled - policy.LabeledMark} new labelled images, {reviewed.Count - policy.FeedbackMark} new reviewed feedback items.";
        }

        var claim = ClaimPrefix + Guid.NewGuid().ToString("N");
        if (!retraining.TryBeginTraining(project.Id, null, claim, policy.LabeledMark, policy.FeedbackMark, now))
        {
            return "Another host is starting the training.";
        }

        try
        {
            // Reviewed feedback the version was not trained on goes into the training dataset first.
            foreach (var versionArn in reviewed.NotInADataset)
            {
                if (await feedback.AddReviewedFeedbackToDatasetAsync(versionArn, train, ct).ConfigureAwait(false) > 0)
                {
                    await WaitForDatasetAsync(train, ct).ConfigureAwait(false);
                }
            }

            labeled = await LabeledImagesAsync(train, ct).ConfigureAwait(false);
            var output = OutputOf(project)
                ?? throw new InvalidParameterException("The project has no trained version to take an output location from; train one version by hand first.");
            var name = $"auto-{clock.UtcNow:yyyyMMdd-HHmmss}";
            var created = await client.CreateProjectVersionAsync(new CreateProjectVersionRequest
            {
                ProjectArn = project.Arn,
                VersionName = name,
                OutputConfig = output,
                VersionDescription = $"Retrained: {due}",
            }, ct).ConfigureAwait(false);
            retraining.TryBeginTraining(project.Id, claim, created.ProjectVersionArn!, labeled, reviewed.Count, clock.NowMs());
            RetrainingLog.Training(logger, project.Name, due, name);
            return $"Training {name}: {due}.";
        }
        catch (Exception ex) when (ex is AmazonRekognitionException or InvalidOperationException)
        {
            retraining.TryEndTraining(project.Id, claim, $"The training could not start: {ex.Message}", clock.NowMs());
            return $"The training could not start: {ex.Message}";
        }
    }

    private async Task<string> FinishAsync(ProjectRecord project, RetrainingPolicyRecord policy, string pending, CancellationToken ct)
    {
        if (pending.StartsWith(ClaimPrefix, StringComparison.Ordinal))
        {
            if (clock.NowMs() - policy.LastTrainingMs > ClaimTimeout.TotalMilliseconds)
            {
                retraining.TryEndTraining(project.Id, pending, "The host that began a training ended before the training was created.", clock.NowMs());
            }

            return "A host is starting the training.";
        }

        var version = versions.FindByArn(pending);
        if (version is null)
        {
            retraining.TryEndTraining(project.Id, pending, "The version being trained was deleted.", clock.NowMs());
            return "The version being trained was deleted.";
        }

        if (version.Status == ProjectVersionStatus.TRAINING_IN_PROGRESS.Value)
        {
            return $"Training {version.Name}.";
        }

        if (version.Status != ProjectVersionStatus.TRAINING_COMPLETED.Value)
        {
            var failed = $"The training of {version.Name} ended {version.Status}: {version.StatusMessage}";
            retraining.TryEndTraining(project.Id, pending, failed, clock.NowMs());
            return failed;
        }

        var alias = policy.Settings.AliasName;
        var decision = await gate.DecideAsync(project.Id, alias, version.Arn, clock.NowMs(), ct).ConfigureAwait(false);
        if (!retraining.TryEndTraining(project.Id, pending, $"{version.Name}: {(decision.Promoted ? "promoted" : "not promoted")}. {decision.Reason}", clock.NowMs()))
        {
            return "Another host decided the promotion.";
        }

        if (decision.Promoted)
        {
            try
            {
                await MoveAliasAsync(project, alias, decision.PreviousArn, version.Arn, ct).ConfigureAwait(false);
            }
            catch (AmazonRekognitionException ex)
            {
                decision = decision with { Promoted = false, Reason = $"{decision.Reason} The promotion failed: {ex.Message}" };
            }
        }

        retraining.AddPromotion(decision);
        RetrainingLog.Decided(logger, project.Name, version.Name, decision.Promoted, decision.Reason);
        return $"{version.Name} {(decision.Promoted ? "promoted" : "not promoted")}: {decision.Reason}";
    }

    // A running alias moves without downtime (the new version starts, the old one stops once idle); one that serves
    // nothing just points at the new version, which is then not started.
    private async Task MoveAliasAsync(ProjectRecord project, string alias, string? previousArn, string versionArn, CancellationToken ct)
    {
        var previous = previousArn is null ? null : versions.FindByArn(previousArn);
        if (previous is { Status: "RUNNING" })
        {
            await aliasClient.PromoteProjectVersionAsync(new PromoteProjectVersionRequest
            {
                ProjectArn = project.Arn, AliasName = alias, ProjectVersionArn = versionArn, MinInferenceUnits = previous.MinUnits ?? 1, MaxInferenceUnits = previous.MaxUnits,
            }, ct).ConfigureAwait(false);
        }
        else
        {
            await aliasClient.PutModelAliasAsync(project.Arn, alias, versionArn, ct).ConfigureAwait(false);
        }
    }

    private static string? Due(RetrainingPolicyRecord policy, long labeled, long reviewed, long nowMs)
    {
        var s = policy.Settings;
        if (s.MinNewLabeledImages is { } images && labeled - policy.LabeledMark >= images)
        {
            return $"{labeled - policy.LabeledMark} new labelled images (trigger: {images})";
        }

        if (s.MinNewFeedbackItems is { } items && reviewed - policy.FeedbackMark >= items)
        {
            return $"{reviewed - policy.FeedbackMark} new reviewed feedback items (trigger: {items})";
        }

        return s.EveryMs is { } every && nowMs - policy.LastTrainingMs >= every
            ? $"the schedule (every {TimeSpan.FromMilliseconds(every)})"
            : null;
    }

    private async Task<string?> TrainingDatasetAsync(ProjectRecord project, CancellationToken ct)
    {
        var described = await client.DescribeProjectsAsync(new DescribeProjectsRequest { ProjectNames = [project.Name] }, ct).ConfigureAwait(false);
        return described.ProjectDescriptions.SingleOrDefault()?.Datasets.FirstOrDefault(d => d.DatasetType == DatasetType.TRAIN)?.DatasetArn;
    }

    /// <summary>Labelled images of the project's training dataset now (0 without one).</summary>
    public async Task<long> TrainingImagesAsync(ProjectRecord project, CancellationToken ct) =>
        await TrainingDatasetAsync(project, ct).ConfigureAwait(false) is { } train ? await LabeledImagesAsync(train, ct).ConfigureAwait(false) : 0;

    // Labelled by a person (or reviewed): a model's unreviewed pre-labels do not trigger a training on themselves.
    private Task<long> LabeledImagesAsync(string datasetArn, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(ReviewedImageCount.Of(entries, lookup.Dataset(datasetArn, "DatasetArn").Id));
    }

    /// <summary>Reviewed (accepted or corrected) feedback items of the project's versions, and the versions with reviewed items in no dataset yet.</summary>
    public async Task<(long Count, IReadOnlyList<string> NotInADataset)> ReviewedFeedbackAsync(ProjectRecord project, CancellationToken ct)
    {
        long count = 0;
        var notAdded = new List<string>();
        var page = versions.List(project.Id, null, long.MaxValue, 1000);
        foreach (var version in page)
        {
            var items = await feedback.ListFeedbackAsync(version.Arn, null, ct).ConfigureAwait(false);
            var reviewed = items.Where(i => i.Status is FeedbackStatus.Accepted or FeedbackStatus.Corrected).ToList();
            count += reviewed.Count;
            if (reviewed.Any(i => i.AddedToDatasetArn is null))
            {
                notAdded.Add(version.Arn);
            }
        }

        return (count, notAdded);
    }

    /// <summary>Waits for the update under way on a training dataset to end.</summary>
    private async Task WaitForDatasetAsync(string datasetArn, CancellationToken ct)
    {
        var deadline = clock.Time.GetTimestamp() + (long)(DatasetUpdateTimeout.TotalSeconds * clock.Time.TimestampFrequency);
        while (clock.Time.GetTimestamp() < deadline)
        {
            var status = (await client.DescribeDatasetAsync(new DescribeDatasetRequest { DatasetArn = datasetArn }, ct).ConfigureAwait(false)).DatasetDescription?.Status?.Value;
            if (status is null || !status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), clock.Time, ct).ConfigureAwait(false);
        }

        throw new InvalidOperationException("The training dataset's update with the reviewed feedback did not end in time.");
    }

    // The newest version's output location (the service needs one; the loop writes where people's trainings did).
    private OutputConfig? OutputOf(ProjectRecord project) =>
        versions.List(project.Id, null, long.MaxValue, 100).Select(v => v.Details.OutputConfig).FirstOrDefault(o => o is not null);
}
