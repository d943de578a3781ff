using Rekognition.Core.Arns;
using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;
using Rekognition.Core.Services.Tags;

namespace Rekognition.Core.Services.Projects;

/// <summary>CreateProject, DescribeProjects, DeleteProject over the catalog.</summary>
internal sealed class ProjectService(
    RekognitionOptions options, ICatalog catalog, IProjectCatalog projects, IDatasetCatalog datasets, IVersionCatalog versions, ITagCatalog tags, PaginationToken tokens, StoreClock clock)
{
    private const string ProjectsListing = "projects";

    public CreateProjectResponse Create(CreateProjectRequest request, CancellationToken cancellationToken)
    {
        var name = RequestValidation.ProjectName(request.ProjectName);
        if (request.Feature is not null && request.Feature != CustomizationFeature.CUSTOM_LABELS)
        {
            throw new InvalidParameterException(
                $"Feature '{request.Feature.Value}' is not supported by this library: only CUSTOM_LABELS projects can be created.");
        }

        if (request.AutoUpdate is not null)
        {
            throw new InvalidParameterException("AutoUpdate applies only to CONTENT_MODERATION projects; omit it for CUSTOM_LABELS projects.");
        }

        RequestValidation.Tags(request.Tags);
        cancellationToken.ThrowIfCancellationRequested();

        var now = clock.NowMs();
        var arn = ResourceArns.Project(options.Region, options.AccountId, name, now);
        if (!projects.TryInsert(name, arn, now, ProjectStatus.CREATED.Value, CustomizationFeature.CUSTOM_LABELS.Value, null))
        {
            throw new ResourceInUseException($"A project named '{name}' already exists. Choose another name, or delete that project first.");
        }

        if (request.Tags.Count > 0)
        {
            tags.TryPut(arn, request.Tags, TagService.MaxTagsPerResource);
        }

        return new CreateProjectResponse { ProjectArn = arn };
    }

    public DescribeProjectsResponse Describe(DescribeProjectsRequest request)
    {
        var pageSize = RequestValidation.PageSize(request.MaxResults, "MaxResults", 100, 100);
        if (request.ProjectNames.Count > 10)
        {
            throw new InvalidParameterException("1 validation error detected: Value at 'projectNames' failed to satisfy constraint: Member must have length less than or equal to 10.");
        }

        foreach (var projectName in request.ProjectNames)
        {
            RequestValidation.ProjectName(projectName, "ProjectNames");
        }

        if (request.Features.Count > 2)
        {
            throw new InvalidParameterException("1 validation error detected: Value at 'features' failed to satisfy constraint: Member must have length less than or equal to 2.");
        }

        foreach (var feature in request.Features)
        {
            if (!CustomizationFeature.IsKnown(feature?.Value))
            {
                throw new InvalidParameterException($"'{feature?.Value}' is not a feature: use CUSTOM_LABELS or CONTENT_MODERATION.");
            }
        }

        var after = tokens.ReadLong(request.NextToken, ProjectsListing);
        var names = request.ProjectNames.Count > 0 ? request.ProjectNames : null;
        var features = request.Features.Count > 0 ? request.Features.Select(f => f.Value).ToList() : null;
        var rows = projects.List(after, pageSize + 1, names, features);
        var response = new DescribeProjectsResponse();
        var page = rows.Take(pageSize).ToList();
        // One query for the page's datasets, not one per project.
        var datasetsOf = datasets.ListForProjects(page.Select(p => p.Id).ToList()).ToLookup(d => d.ProjectId);
        foreach (var project in page)
        {
            response.ProjectDescriptions.Add(new ProjectDescription
            {
                ProjectArn = project.Arn,
                CreationTimestamp = StoreClock.FromMs(project.CreatedMs),
                Status = ProjectStatus.FindValue(project.Status),
                Feature = CustomizationFeature.FindValue(project.Feature),
                AutoUpdate = project.AutoUpdate is null ? null : ProjectAutoUpdate.FindValue(project.AutoUpdate),
                Datasets = datasetsOf[project.Id].Select(ToMetadata).ToList(),
            });
        }

        response.NextToken = tokens.NextAfter(rows, pageSize, ProjectsListing, p => p.Id);
        return response;
    }

    public DeleteProjectResponse Delete(DeleteProjectRequest request)
    {
        RequestValidation.Arn(request.ProjectArn, "ProjectArn", ResourceKind.Project);
        using var transaction = catalog.BeginTransaction();
        var project = projects.FindByArn(request.ProjectArn!, transaction)
                      ?? throw ResourceLookup.ProjectNotFound(request.ProjectArn!);
        var remaining = datasets.ListForProject(project.Id, transaction);
        if (remaining.Count > 0)
        {
            throw new ResourceInUseException(
                $"The project still has {remaining.Count} dataset(s) ({string.Join(", ", remaining.Select(d => d.Type))}). Delete them with DeleteDataset before deleting the project.");
        }

        var versionCount = versions.CountForProject(project.Id, transaction);
        if (versionCount > 0)
        {
            throw new ResourceInUseException($"The project still has {versionCount} model version(s). Delete them with DeleteProjectVersion before deleting the project.");
        }

        projects.Delete(transaction, project);
        transaction.Commit();
        return new DeleteProjectResponse { Status = ProjectStatus.DELETING };
    }

    private static DatasetMetadata ToMetadata(DatasetRecord d) => new()
    {
        CreationTimestamp = StoreClock.FromMs(d.CreatedMs),
        DatasetType = DatasetType.FindValue(d.Type),
        DatasetArn = d.Arn,
        Status = DatasetStatus.FindValue(d.Status),
        StatusMessage = d.StatusMessage,
        StatusMessageCode = d.StatusMessageCode is null ? null : DatasetStatusMessageCode.FindValue(d.StatusMessageCode),
    };
}
