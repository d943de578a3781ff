using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;
using Rekognition.Core.Services;
using Rekognition.Core.Services.Jobs;

namespace Rekognition.Core.Promotion;

/// <summary>Aliases in the catalog; starting, stopping and detecting go through the AWS-shaped client.</summary>
internal sealed class ModelAliasClient(
    IAmazonRekognition client, IModelAliasCatalog aliases, IVersionCatalog versions, ResourceLookup lookup, StoreClock clock,
    ICatalog catalog, HostIdentity identity, RekognitionOptions options) : IModelAliasClient
{
    private static readonly TimeSpan VersionPollInterval = TimeSpan.FromMilliseconds(25);

    private IModelAliasCatalog Aliases => aliases;

    /// <inheritdoc />
    public Task PutModelAliasAsync(string projectArn, string aliasName, string projectVersionArn, CancellationToken cancellationToken = default)
    {
        var (project, name) = FindAlias(projectArn, aliasName);
        var version = lookup.Version(projectVersionArn);
        if (version.ProjectId != project.Id)
        {
            throw new InvalidParameterException($"The model version {projectVersionArn} is not a version of project {projectArn}; an alias points at its own project's versions.");
        }

        Aliases.Point(project.Id, name, version.Arn, clock.NowMs());
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<string> GetModelAliasAsync(string projectArn, string aliasName, CancellationToken cancellationToken = default)
    {
        var (project, name) = FindAlias(projectArn, aliasName);
        return Task.FromResult(Aliases.Resolve(project.Id, name) ?? throw AliasNotFound(projectArn, name));
    }

    /// <inheritdoc />
    public Task DeleteModelAliasAsync(string projectArn, string aliasName, CancellationToken cancellationToken = default)
    {
        var (project, name) = FindAlias(projectArn, aliasName);
        if (Aliases.Resolve(project.Id, name) is null)
        {
            throw AliasNotFound(projectArn, name);
        }

        Aliases.Delete(project.Id, name);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<AliasDetection> DetectCustomLabelsWithAliasAsync(string projectArn, string aliasName, DetectCustomLabelsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (project, name) = FindAlias(projectArn, aliasName);
        var arn = Aliases.Enter(project.Id, name) ?? throw AliasNotFound(projectArn, name);
        try
        {
            var response = await client.DetectCustomLabelsAsync(new DetectCustomLabelsRequest
            {
                ProjectVersionArn = arn,
                Image = request.Image,
                MaxResults = request.MaxResults,
                MinConfidence = request.MinConfidence,
            }, cancellationToken).ConfigureAwait(false);
            return new AliasDetection(arn, response);
        }
        finally
        {
            Aliases.Leave(arn);
        }
    }

    /// <inheritdoc />
    public async Task<PromotionResult> PromoteProjectVersionAsync(PromoteProjectVersionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (project, name) = FindAlias(request.ProjectArn, request.AliasName);
        var version = lookup.Version(request.ProjectVersionArn);
        if (version.ProjectId != project.Id)
        {
            throw new InvalidParameterException($"The model version {request.ProjectVersionArn} is not a version of project {request.ProjectArn}.");
        }

        // 1. The new version runs before any request is sent to it.
        if (version.Status != ProjectVersionStatus.RUNNING.Value)
        {
            if (version.Status != ProjectVersionStatus.STARTING.Value)
            {
                await client.StartProjectVersionAsync(new StartProjectVersionRequest
                {
                    ProjectVersionArn = version.Arn,
                    MinInferenceUnits = request.MinInferenceUnits,
                    MaxInferenceUnits = request.MaxInferenceUnits,
                }, cancellationToken).ConfigureAwait(false);
            }

            var started = await WaitWhileAsync(version.Arn, ProjectVersionStatus.STARTING.Value, cancellationToken).ConfigureAwait(false);
            if (started.Status != ProjectVersionStatus.RUNNING.Value)
            {
                throw new ResourceNotReadyException(
                    $"The model version {version.Arn} did not start ({started.Status}: {started.StatusMessage}); alias '{name}' still points where it did.");
            }
        }

        // 2. The switch: requests from now on go to the new version ...
        await WaitUntilLoadedWhereTheOldIsAsync(project.Id, name, version, cancellationToken).ConfigureAwait(false);
        var previous = Aliases.Point(project.Id, name, version.Arn, clock.NowMs());
        if (previous is null || !request.StopPreviousVersion)
        {
            return new PromotionResult(name, version.Arn, previous, false);
        }

        // 3. The old version finishes what it has, here and on every other host serving it, then stops (unless another
        // alias still points at it).
        while (Aliases.InFlightOn(previous) > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), clock.Time, cancellationToken).ConfigureAwait(false);
        }

        await WaitForOtherHostsAsync(previous, cancellationToken).ConfigureAwait(false);
        var old = versions.FindByArn(previous);
        if (old is null || old.Status != ProjectVersionStatus.RUNNING.Value || AliasesPointingAt(previous))
        {
            return new PromotionResult(name, version.Arn, previous, false);
        }

        await client.StopProjectVersionAsync(new StopProjectVersionRequest { ProjectVersionArn = previous }, cancellationToken).ConfigureAwait(false);
        await WaitWhileAsync(previous, ProjectVersionStatus.STOPPING.Value, cancellationToken).ConfigureAwait(false);
        return new PromotionResult(name, version.Arn, previous, true);
    }

    // ... once every host serving the alias's version has loaded the new one too (hosts load it within a poll, or at once
    // when notified), so no host sends the alias's requests where it cannot answer them yet; at most one lease.
    private async Task WaitUntilLoadedWhereTheOldIsAsync(long projectId, string name, VersionRecord version, CancellationToken cancellationToken)
    {
        if (Aliases.Resolve(projectId, name) is not { } current || current == version.Arn || versions.FindByArn(current) is not { } old)
        {
            return;
        }

        var until = clock.NowMs() + (long)options.Host.LeaseDuration.TotalMilliseconds;
        while (catalog.Serving.CountServing(version.Id, clock.NowMs()) < catalog.Serving.CountServing(old.Id, clock.NowMs()) && clock.NowMs() < until)
        {
            await Task.Delay(VersionPollInterval, clock.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    // Each other host serving the old version reports (ServingSync) once it has read the aliases again and has no alias
    // request left on it. A host that died is not waited for (its lease lapses); one that stays busy longer than a lease
    // is not waited for either: the stop then ends what it still runs.
    private async Task WaitForOtherHostsAsync(string previous, CancellationToken cancellationToken)
    {
        if (versions.FindByArn(previous) is not { } old || catalog.Serving.RequestDrain(old.Id, identity.Id) == 0)
        {
            return;
        }

        var until = clock.NowMs() + (long)options.Host.LeaseDuration.TotalMilliseconds;
        while (catalog.Serving.CountDraining(old.Id, clock.NowMs()) > 0 && clock.NowMs() < until)
        {
            await Task.Delay(VersionPollInterval, clock.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool AliasesPointingAt(string versionArn) => aliases.CountPointingAt(versionArn) > 0;

    private async Task<VersionRecord> WaitWhileAsync(string versionArn, string status, CancellationToken cancellationToken)
    {
        while (true)
        {
            var version = versions.FindByArn(versionArn) ?? throw new ResourceNotFoundException($"The model version {versionArn} was deleted.");
            if (version.Status != status)
            {
                return version;
            }

            await Task.Delay(VersionPollInterval, clock.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    private (ProjectRecord Project, string Name) FindAlias(string? projectArn, string? aliasName)
    {
        RequestValidation.Arn(projectArn, "ProjectArn", Arns.ResourceKind.Project);
        var name = RequestValidation.ProjectName(aliasName, "AliasName");
        return (lookup.Project(projectArn!), name);
    }

    private static ResourceNotFoundException AliasNotFound(string projectArn, string name) =>
        new($"Project {projectArn} has no model alias named '{name}'. Create it with PutModelAliasAsync or PromoteProjectVersionAsync.");
}
