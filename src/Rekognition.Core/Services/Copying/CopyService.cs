using Microsoft.Extensions.Logging;
using Rekognition.Core.Arns;
using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;
using Rekognition.Core.Services.Jobs;
using Rekognition.Core.Services.Policies;
using Rekognition.Core.Services.Tags;
using Rekognition.Core.Services.Training;
using Rekognition.Core.Services.Versions;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Services.Copying;

/// <summary>
/// CopyProjectVersion: checks the request and the source project's policies, creates the copy
/// COPYING_IN_PROGRESS and copies the model package and the evaluation files as a job this host holds from the start
/// (its source may be another store of this process, which no other host can reach); if this host dies, the host that
/// takes the job over records the copy as failed (<see cref="CopyJobTakeover"/>).
/// </summary>
internal sealed class CopyService
{
    /// <summary>Copies running at once into one destination project, as the service's quota.</summary>
    public const int MaxConcurrentCopies = 5;

    private const string BeingCopied = "The model is being copied.";

    // A version whose model package exists and is not being written: it can be copied.
    private static readonly HashSet<string> Copyable = new(StringComparer.Ordinal)
    {
        ProjectVersionStatus.TRAINING_COMPLETED.Value, ProjectVersionStatus.COPYING_COMPLETED.Value, ProjectVersionStatus.STOPPED.Value,
        ProjectVersionStatus.RUNNING.Value, ProjectVersionStatus.STARTING.Value, ProjectVersionStatus.STOPPING.Value, ProjectVersionStatus.FAILED.Value,
    };

    private readonly RekognitionOptions _options;
    private readonly IProjectCatalog _projects;
    private readonly IVersionCatalog _versions;
    private readonly Store _store;
    private readonly TagService _tags;
    private readonly PolicyService _policies;
    private readonly SourceRefResolver _resolver;
    private readonly TrainingLocations _locations;
    private readonly JobRunner _jobs;
    private readonly ResourceLookup _lookup;
    private readonly CallerMessages _messages;
    private readonly StoreClock _clock;
    private readonly ILogger<CopyService> _logger;

    public CopyService(
        RekognitionOptions options, Store store, IProjectCatalog projects, IVersionCatalog versions, TagService tags, PolicyService policies, SourceRefResolver resolver,
        TrainingLocations locations, JobRunner jobs, ResourceLookup lookup, CallerMessages messages, StoreClock clock, ILogger<CopyService> logger)
    {
        _options = options;
        _store = store;
        _projects = projects;
        _versions = versions;
        _tags = tags;
        _policies = policies;
        _resolver = resolver;
        _locations = locations;
        _jobs = jobs;
        _lookup = lookup;
        _messages = messages;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>
    /// CopyProjectVersion from the store of <paramref name="sourceStore"/> (this one for a copy within the account), which
    /// stands for the trusting account; this store receives the copy. As with the service, the source project's policies
    /// decide: a copy from another account needs an Allow for this account, and a Deny refuses any copy.
    /// </summary>
    public CopyProjectVersionResponse Copy(CopyProjectVersionRequest request, CopyService sourceStore)
    {
        var sourceProjectArn = RequestValidation.Arn(request.SourceProjectArn, "SourceProjectArn", ResourceKind.Project);
        var sourceVersionArn = RequestValidation.Arn(request.SourceProjectVersionArn, "SourceProjectVersionArn", ResourceKind.ProjectVersion);
        var destinationArn = RequestValidation.Arn(request.DestinationProjectArn, "DestinationProjectArn", ResourceKind.Project);
        var name = RequestValidation.ProjectName(request.VersionName, "VersionName");
        var output = RequestValidation.OutputConfig(request.OutputConfig, name);
        RequestValidation.Tags(request.Tags);
        RequestValidation.KmsKeyId(request.KmsKeyId);

        if (sourceVersionArn.ProjectName != sourceProjectArn.ProjectName || sourceVersionArn.AccountId != sourceProjectArn.AccountId)
        {
            throw new InvalidParameterException(
                $"SourceProjectVersionArn {request.SourceProjectVersionArn} is not a version of SourceProjectArn {request.SourceProjectArn}.");
        }

        if (sourceProjectArn.Region != destinationArn.Region)
        {
            throw new InvalidParameterException(
                $"Models can only be copied within one region (source {sourceProjectArn.Region}, destination {destinationArn.Region}). In another region, train a new version from the datasets.");
        }

        if (destinationArn.AccountId != _options.AccountId || destinationArn.Region != _options.Region)
        {
            throw new ResourceNotFoundException(
                $"The destination project {request.DestinationProjectArn} is not in this store (account {_options.AccountId}, region {_options.Region}). Call CopyProjectVersion on the destination account's client.");
        }

        if (sourceProjectArn.AccountId != sourceStore._options.AccountId || sourceProjectArn.Region != sourceStore._options.Region)
        {
            throw new ResourceNotFoundException(sourceStore == this
                ? $"The source project {request.SourceProjectArn} is in account {sourceProjectArn.AccountId}, not in this store. Pass the client of that account's store as the source store."
                : $"The source project {request.SourceProjectArn} is not in the source store given (account {sourceStore._options.AccountId}, region {sourceStore._options.Region}).");
        }

        var sourceProject = sourceStore._projects.FindByArn(request.SourceProjectArn!) ?? throw ResourceLookup.ProjectNotFound(request.SourceProjectArn!);
        var source = sourceStore._versions.FindByArn(request.SourceProjectVersionArn!);
        if (source is null || source.ProjectId != sourceProject.Id)
        {
            throw ResourceLookup.VersionNotFound(request.SourceProjectVersionArn);
        }

        var destination = _lookup.Project(request.DestinationProjectArn!);
        sourceStore._policies.AuthorizeCopy(sourceProject, source, _options.AccountId);

        if (source.Status is "TRAINING_FAILED" or "COPYING_FAILED")
        {
            throw new InvalidParameterException($"The model is {source.Status}: it has no trained model to copy. Copy a version whose training completed.");
        }

        if (!Copyable.Contains(source.Status) || source.ArtifactKey is null)
        {
            // ResourceInUseException, as CopyProjectVersion's model lists (it has no ResourceNotReadyException).
            throw new ResourceInUseException(
                $"The model is {source.Status}; it can be copied once training or copying has completed (TRAINING_COMPLETED, COPYING_COMPLETED, STOPPED or RUNNING).");
        }

        // A copy left running by a process that ended must not hold one of the quota's slots.
        _versions.RecoverCopying();

        var now = _clock.NowMs();
        var arn = ResourceArns.ProjectVersion(_options.Region, _options.AccountId, destination.Name, name, now);
        var details = new ProjectVersionDetails
        {
            VersionDescription = source.Details.VersionDescription,
            OutputConfig = output,
            KmsKeyId = request.KmsKeyId,
            SourceProjectVersionArn = source.Arn,
        };
        long jobId;
        using (var transaction = _store.Catalog.BeginTransaction())
        {
            switch (_versions.TryInsertCopy(transaction, destination.Id, name, arn, now, BeingCopied, details, MaxConcurrentCopies))
            {
                case CopyInsertOutcome.NameTaken:
                    throw new ResourceInUseException($"The project already has a version named '{name}'. Choose another VersionName.");
                case CopyInsertOutcome.TooManyCopies:
                    throw new LimitExceededException(
                        $"The destination project already runs {MaxConcurrentCopies} copies, the most at once. Wait until one reports COPYING_COMPLETED or COPYING_FAILED.");
            }

            jobId = _store.Catalog.Jobs.Enqueue(transaction, JobKind.CopyVersion, arn, JobPayloadJsonContext.Write(new CopyVersionPayload(source.Arn)), now,
                _jobs.HostId, _jobs.LeaseUntilMs());
            transaction.Commit();
        }

        _tags.TagNew(arn, request.Tags);
        var copy = _versions.FindByArn(arn)!;
        var sourceOutputs = sourceStore._resolver;
        var sourceObjects = sourceStore._store;
        _jobs.RunHere(jobId, JobKind.CopyVersion, arn, $"copy {source.Arn} to {arn}", ct => CopyVersionAsync(copy, source, sourceObjects, sourceOutputs, ct));
        return new CopyProjectVersionResponse { ProjectVersionArn = arn };
    }

    private async Task CopyVersionAsync(VersionRecord copy, VersionRecord source, Store sourceObjects, SourceRefResolver sourceOutputs, CancellationToken ct)
    {
        var package = StoreLayout.ModelPackage(copy.ProjectId, copy.Id, copy.CreatedMs);
        var details = copy.Details;
        var completed = false;
        try
        {
            // The model package (and whatever else training left beside it, such as the evaluation report).
            await sourceObjects.LoadModelPackageAsync(source.ArtifactKey!, ct).ConfigureAwait(false);
            await _store.CopyPrefixAsync(sourceObjects.Objects, source.ArtifactKey!, package, ct).ConfigureAwait(false);
            await _store.LoadModelPackageAsync(package, ct).ConfigureAwait(false);

            // The training results, not the datasets: evaluation summary, evaluation snapshot, manifest summary.
            var folder = _locations.OutputFolder(details.OutputConfig!, copy);
            S3Object CopyResult(S3Object from)
            {
                ct.ThrowIfCancellationRequested();
                // Both ends confined: the source read beneath the source store's buckets root, the copy written beneath ours.
                using var file = sourceOutputs.OpenObject(from.Bucket!, from.Name!, out _, 1 << 16)
                                 ?? throw new FileNotFoundException($"The source model's result file s3://{from.Bucket}/{from.Name} is missing or not readable.");
                var fileName = from.Name![(from.Name!.LastIndexOf('/') + 1)..];
                folder.CopyAsync(fileName, file).GetAwaiter().GetResult();
                return folder.Object(fileName);
            }

            var sourceDetails = source.Details;
            details.TrainingEndMs = sourceDetails.TrainingEndMs;
            if (sourceDetails.EvaluationResult is { } evaluation)
            {
                details.EvaluationResult = new EvaluationResult
                {
                    F1Score = evaluation.F1Score,
                    Summary = evaluation.Summary?.S3Object is { } summary ? new Summary { S3Object = CopyResult(summary) } : null,
                };
            }

            if (sourceDetails.TestingDataResult?.Output is { } tested)
            {
                var outputs = new TestingData { AutoCreate = tested.AutoCreate };
                foreach (var asset in tested.Assets.Where(a => a.GroundTruthManifest?.S3Object is not null))
                {
                    outputs.Assets.Add(new Asset { GroundTruthManifest = new GroundTruthManifest { S3Object = CopyResult(asset.GroundTruthManifest!.S3Object!) } });
                }

                details.TestingDataResult = new TestingDataResult { Output = outputs };
            }

            if (sourceDetails.ManifestSummary?.S3Object is { } manifestSummary)
            {
                details.ManifestSummary = new GroundTruthManifest { S3Object = CopyResult(manifestSummary) };
            }

            ct.ThrowIfCancellationRequested();
            completed = _versions.TryFinishCopy(copy.Id, ProjectVersionStatus.COPYING_COMPLETED.Value, VersionService.ReadyToRun, package, details);
        }
        catch (OperationCanceledException)
        {
            _versions.TryFinishCopy(copy.Id, ProjectVersionStatus.COPYING_FAILED.Value, "The copy was stopped before it finished (the client was disposed). Copy the model again.", null, details);
        }
        catch (Storage.Confinement.PathEscapeException ex)
        {
            CopyLog.RefusedOutsideRoot(_logger, ex, source.Arn, copy.Arn);
            _versions.TryFinishCopy(copy.Id, ProjectVersionStatus.COPYING_FAILED.Value,
                "The model could not be copied: a folder of the output location is a symbolic link out of the buckets root.", null, details);
        }
        catch (Exception ex)
        {
            CopyLog.Failed(_logger, ex, source.Arn, copy.Arn);
            _versions.TryFinishCopy(copy.Id, ProjectVersionStatus.COPYING_FAILED.Value, $"The model could not be copied: {_messages.HideMachinePaths(ex.Message)}", null, details);
        }
        finally
        {
            if (!completed)
            {
                StoreCleanup.TryDeleteObjects(_store, package, _logger);
            }
        }
    }
}
