using Microsoft.Extensions.Logging;
using Rekognition.Core.Arns;
using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;
using Rekognition.Core.Services.Hosting;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Services.Versions;

/// <summary>DescribeProjectVersions and DeleteProjectVersion: the catalog's view of model versions.</summary>
internal sealed class VersionService(Store store, IVersionCatalog versions, RunningModels running, PaginationToken tokens, ResourceLookup lookup, IEnumerable<IVersionDeletionObserver> deletionObservers, ILogger<VersionService> logger)
{
    /// <summary>The StatusMessage of a version that can be started.</summary>
    public const string ReadyToRun = "The model is ready to run.";

    private static readonly string[] Busy =
    {
        ProjectVersionStatus.STARTING.Value, ProjectVersionStatus.RUNNING.Value, ProjectVersionStatus.STOPPING.Value,
        ProjectVersionStatus.TRAINING_IN_PROGRESS.Value, ProjectVersionStatus.COPYING_IN_PROGRESS.Value,
    };

    public DescribeProjectVersionsResponse Describe(DescribeProjectVersionsRequest request)
    {
        RequestValidation.Arn(request.ProjectArn, "ProjectArn", ResourceKind.Project);
        var pageSize = RequestValidation.PageSize(request.MaxResults, "MaxResults", 100, 100);
        if (request.VersionNames.Count > 10)
        {
            throw new InvalidParameterException("1 validation error detected: Value at 'versionNames' failed to satisfy constraint: Member must have length less than or equal to 10.");
        }

        foreach (var name in request.VersionNames)
        {
            RequestValidation.ProjectName(name, "VersionNames");
        }

        var project = lookup.Project(request.ProjectArn!);
        var listing = "versions:" + project.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var before = tokens.ReadLong(request.NextToken, listing);
        var rows = versions.List(project.Id, request.VersionNames.Count > 0 ? request.VersionNames : null, before == 0 ? long.MaxValue : before, pageSize + 1);
        var response = new DescribeProjectVersionsResponse();
        foreach (var version in rows.Take(pageSize))
        {
            response.ProjectVersionDescriptions.Add(Describe(version));
        }

        response.NextToken = tokens.NextAfter(rows, pageSize, listing, v => v.Id);
        return response;
    }

    public DeleteProjectVersionResponse Delete(DeleteProjectVersionRequest request)
    {
        var version = lookup.Version(request.ProjectVersionArn);
        if (!versions.TryTransition(version.Id, AllStatusesExcept(Busy), ProjectVersionStatus.DELETING.Value, "The model is being deleted."))
        {
            throw new ResourceInUseException(
                $"The model is {versions.FindByArn(version.Arn)?.Status ?? version.Status}; stop it (or wait for training or copying to end) before deleting it.");
        }

        versions.Delete(version);
        foreach (var observer in deletionObservers)
        {
            observer.VersionDeleted(version.Arn);
        }

        if (version.ArtifactKey is { } package)
        {
            StoreCleanup.TryDeleteObjects(store, package, logger);
        }

        return new DeleteProjectVersionResponse { Status = ProjectVersionStatus.DELETING };
    }

    private ProjectVersionDescription Describe(VersionRecord version)
    {
        var d = version.Details;
        var model = running.TryGet(version.Arn, out var hosted) ? hosted : null;
        return new ProjectVersionDescription
        {
            ProjectVersionArn = version.Arn,
            CreationTimestamp = StoreClock.FromMs(version.CreatedMs),
            Status = ProjectVersionStatus.FindValue(version.Status),
            StatusMessage = version.StatusMessage,
            MinInferenceUnits = version.MinUnits,
            MaxInferenceUnits = version.MaxUnits,
            DesiredInferenceUnits = model?.Host.DesiredInferenceUnits,
            InServiceInferenceUnits = model?.Host.InServiceInferenceUnits,
            BillableTrainingTimeInSeconds = d.BillableTrainingTimeInSeconds,
            TrainingEndTimestamp = d.TrainingEndMs is { } end ? StoreClock.FromMs(end) : null,
            OutputConfig = d.OutputConfig,
            TrainingDataResult = d.TrainingDataResult,
            TestingDataResult = d.TestingDataResult,
            EvaluationResult = d.EvaluationResult,
            ManifestSummary = d.ManifestSummary,
            KmsKeyId = d.KmsKeyId,
            SourceProjectVersionArn = d.SourceProjectVersionArn,
            VersionDescription = d.VersionDescription,
            Feature = CustomizationFeature.CUSTOM_LABELS,
        };
    }

    private static string[] AllStatusesExcept(string[] excluded) =>
        new[]
        {
            ProjectVersionStatus.TRAINING_IN_PROGRESS, ProjectVersionStatus.TRAINING_COMPLETED, ProjectVersionStatus.TRAINING_FAILED,
            ProjectVersionStatus.STARTING, ProjectVersionStatus.RUNNING, ProjectVersionStatus.FAILED, ProjectVersionStatus.STOPPING,
            ProjectVersionStatus.STOPPED, ProjectVersionStatus.COPYING_IN_PROGRESS, ProjectVersionStatus.COPYING_COMPLETED,
            ProjectVersionStatus.COPYING_FAILED, ProjectVersionStatus.DEPRECATED, ProjectVersionStatus.EXPIRED,
        }.Select(s => s.Value).Except(excluded).ToArray();
}
