using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.Core.Promotion;
using Rekognition.Core.Requests;

namespace Rekognition.Core;

// Model aliases and promotion without downtime (not service operations): callers detect through a named
// alias; a promotion starts the new version, moves the alias, lets the old version's requests finish and
// stops it, so no request fails during the switch.
public sealed partial class RekognitionCustomLabelsClient
{
    private static readonly TimeSpan VersionPollInterval = TimeSpan.FromMilliseconds(25);

    private ModelAliasStore? _aliasStore;

    private ModelAliasStore Aliases => LazyInitializer.EnsureInitialized(ref _aliasStore, () => new ModelAliasStore(_database));

    /// <summary>Points a project's alias at one of its versions (creating the alias if needed). The version need not run yet.</summary>
    /// <exception cref="InvalidParameterException">The version belongs to another project, or the name is not valid.</exception>
    public Task PutModelAliasAsync(string projectArn, string aliasName, string projectVersionArn, CancellationToken cancellationToken = default)
    {
        var (project, name) = FindAlias(projectArn, aliasName);
        var version = FindVersion(projectVersionArn);
        if (version.ProjectId != project.Id)
        {
            throw new InvalidParameterException($"The model version {projectVersionArn} is not a version of project {projectArn}; an alias points at its own project's versions.");
        }

        Aliases.Set(project.Id, name, version.Arn, NowMs());
        return Task.CompletedTask;
    }

    /// <summary>The version a project's alias points at.</summary>
    /// <exception cref="ResourceNotFoundException">The project has no such alias.</exception>
    public Task<string> GetModelAliasAsync(string projectArn, string aliasName, CancellationToken cancellationToken = default)
    {
        var (project, name) = FindAlias(projectArn, aliasName);
        return Task.FromResult(Aliases.Resolve(project.Id, name) ?? throw AliasNotFound(projectArn, name));
    }

    /// <summary>Removes a project's alias; the version it pointed at is left as it is.</summary>
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

    /// <summary>
    /// DetectCustomLabels on the version a project's alias points at (the request's ProjectVersionArn is not used).
    /// A request that started on a version finishes there even if a promotion moves the alias meanwhile.
    /// </summary>
    public async Task<AliasDetection> DetectCustomLabelsWithAliasAsync(string projectArn, string aliasName, DetectCustomLabelsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (project, name) = FindAlias(projectArn, aliasName);
        var arn = Aliases.Enter(project.Id, name) ?? throw AliasNotFound(projectArn, name);
        try
        {
            var response = await DetectCustomLabelsAsync(new DetectCustomLabelsRequest
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
            Aliases.Exit(arn);
        }
    }

    /// <summary>
    /// Moves an alias to a new version without downtime: starts the new version (unless it runs) and waits for
    /// RUNNING, points the alias at it, waits for the requests still running on the old version, then stops the
    /// old one. If the new version cannot start, the alias is left where it was.
    /// </summary>
    /// <exception cref="ResourceNotReadyException">The new version could not be started (its StatusMessage says why).</exception>
    public async Task<PromotionResult> PromoteProjectVersionAsync(PromoteProjectVersionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (project, name) = FindAlias(request.ProjectArn, request.AliasName);
        var version = FindVersion(request.ProjectVersionArn);
        if (version.ProjectId != project.Id)
        {
            throw new InvalidParameterException($"The model version {request.ProjectVersionArn} is not a version of project {request.ProjectArn}.");
        }

        // 1. The new version runs before any request is sent to it.
        if (version.Status != ProjectVersionStatus.RUNNING.Value)
        {
            if (version.Status != ProjectVersionStatus.STARTING.Value)
            {
                await StartProjectVersionAsync(new StartProjectVersionRequest
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

        // 2. The switch: requests from now on go to the new version.
        var previous = Aliases.Set(project.Id, name, version.Arn, NowMs());
        if (previous is null || !request.StopPreviousVersion)
        {
            return new PromotionResult(name, version.Arn, previous, false);
        }

        // 3. The old version finishes what it has, then stops (unless another alias still points at it).
        while (Aliases.InFlightOn(previous) > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), _time, cancellationToken).ConfigureAwait(false);
        }

        var old = _versions.FindByArn(previous);
        if (old is null || old.Status != ProjectVersionStatus.RUNNING.Value || AliasesPointingAt(previous))
        {
            return new PromotionResult(name, version.Arn, previous, false);
        }

        await StopProjectVersionAsync(new StopProjectVersionRequest { ProjectVersionArn = previous }, cancellationToken).ConfigureAwait(false);
        await WaitWhileAsync(previous, ProjectVersionStatus.STOPPING.Value, cancellationToken).ConfigureAwait(false);
        return new PromotionResult(name, version.Arn, previous, true);
    }

    private bool AliasesPointingAt(string versionArn)
    {
        using var connection = _database.Open();
        using var command = connection.Command("SELECT COUNT(*) FROM model_aliases WHERE version_arn = $v").With("$v", versionArn);
        return command.Scalar() > 0;
    }

    private async Task<VersionRecord> WaitWhileAsync(string versionArn, string status, CancellationToken cancellationToken)
    {
        while (true)
        {
            var version = _versions.FindByArn(versionArn) ?? throw new ResourceNotFoundException($"The model version {versionArn} was deleted.");
            if (version.Status != status)
            {
                return version;
            }

            await Task.Delay(VersionPollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private (ProjectRecord Project, string Name) FindAlias(string? projectArn, string? aliasName)
    {
        RequestValidation.Arn(projectArn, "ProjectArn", Arns.ResourceKind.Project);
        var name = RequestValidation.ProjectName(aliasName, "AliasName");
        return (FindProject(projectArn!), name);
    }

    private static ResourceNotFoundException AliasNotFound(string projectArn, string name) =>
        new($"Project {projectArn} has no model alias named '{name}'. Create it with PutModelAliasAsync or PromoteProjectVersionAsync.");
}
