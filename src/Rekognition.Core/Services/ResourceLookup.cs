using Rekognition.Core.Arns;
using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;

namespace Rekognition.Core.Services;

/// <summary>Finds the project, dataset or version a request names, or raises the service's not-found error.</summary>
internal sealed class ResourceLookup(IProjectCatalog projects, IDatasetCatalog datasets, IVersionCatalog versions)
{
    public ProjectRecord Project(string arn) => projects.FindByArn(arn) ?? throw ProjectNotFound(arn);

    public DatasetRecord Dataset(string? arn, string member)
    {
        RequestValidation.Arn(arn, member, ResourceKind.Dataset);
        return datasets.FindByArn(arn!) ?? throw DatasetNotFound(arn!);
    }

    public VersionRecord Version(string? arn)
    {
        RequestValidation.Arn(arn, "ProjectVersionArn", ResourceKind.ProjectVersion);
        return versions.FindByArn(arn!) ?? throw VersionNotFound(arn);
    }

    public static ResourceNotFoundException ProjectNotFound(string arn) =>
        new($"The project {arn} does not exist. Check the ARN (DescribeProjects lists the projects).");

    public static ResourceNotFoundException DatasetNotFound(string arn) =>
        new($"The dataset {arn} does not exist. Check the ARN (DescribeProjects lists a project's datasets).");

    public static ResourceNotFoundException VersionNotFound(string? arn) =>
        new($"The model version {arn} does not exist. DescribeProjectVersions lists a project's versions.");

    /// <summary>Whether a dataset operation (create, update, delete) is still running.</summary>
    public static bool IsInProgress(string datasetStatus) =>
        datasetStatus == DatasetStatus.CREATE_IN_PROGRESS.Value || datasetStatus == DatasetStatus.UPDATE_IN_PROGRESS.Value || datasetStatus == DatasetStatus.DELETE_IN_PROGRESS.Value;
}
