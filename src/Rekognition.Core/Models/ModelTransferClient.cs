using Microsoft.Extensions.Logging;
using Rekognition.Core.Arns;
using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;
using Rekognition.Core.Services;
using Rekognition.Core.Services.Copying;
using Rekognition.Core.Services.Hosting;
using Rekognition.Core.Services.Tags;
using Rekognition.Core.Services.Versions;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Models;

/// <summary>Imports and exports model packages, and copies versions from another store through its copy service.</summary>
internal sealed class ModelTransferClient(
    RekognitionOptions options,
    Store store,
    IVersionCatalog versions,
    TagService tags,
    HostingService hosting,
    CopyService copies,
    ResourceLookup lookup,
    StoreClock clock,
    ILogger<ModelTransferClient> logger) : IModelTransferClient
{
    /// <inheritdoc />
    public Task<ImportProjectVersionResponse> ImportProjectVersionAsync(ImportProjectVersionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidation.Arn(request.ProjectArn, "ProjectArn", ResourceKind.Project);
        var name = RequestValidation.ProjectName(request.VersionName, "VersionName");
        var modelPath = RequestValidation.Required(request.ModelPath, "ModelPath");
        RequestValidation.Tags(request.Tags);
        var package = ModelPackage.Load(modelPath, request.MetadataPath ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, ModelPackage.MetadataFileName));
        hosting.Runtime?.Validate(package);
        var project = lookup.Project(request.ProjectArn!);

        var now = clock.NowMs();
        var arn = ResourceArns.ProjectVersion(options.Region, options.AccountId, project.Name, name, now);
        var key = StoreLayout.ImportedModelPackage(project.Id, now, Guid.NewGuid());
        store.PutModelPackageAsync(key, package, cancellationToken).GetAwaiter().GetResult();
        var details = new ProjectVersionDetails { VersionDescription = request.VersionDescription, TrainingEndMs = now };
        if (!versions.TryInsert(project.Id, name, arn, now, ProjectVersionStatus.TRAINING_COMPLETED.Value, VersionService.ReadyToRun, key, details))
        {
            StoreCleanup.TryDeleteObjects(store, key, logger);
            throw new ResourceInUseException($"The project already has a version named '{name}'. Choose another VersionName.");
        }

        tags.TagNew(arn, request.Tags);
        return Task.FromResult(new ImportProjectVersionResponse { ProjectVersionArn = arn });
    }

    /// <inheritdoc />
    public Task<ExportProjectVersionResponse> ExportProjectVersionAsync(ExportProjectVersionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var version = lookup.Version(request.ProjectVersionArn);
        var destination = RequestValidation.Required(request.DestinationDirectory, "DestinationDirectory");
        if (version.ArtifactKey is null || version.Status is "TRAINING_IN_PROGRESS" or "TRAINING_FAILED" or "COPYING_IN_PROGRESS" or "COPYING_FAILED")
        {
            throw new ResourceNotReadyException($"The model is {version.Status}: it has no model package to export.");
        }

        var exported = store.LoadModelPackageAsync(version.ArtifactKey, cancellationToken).GetAwaiter().GetResult().CopyTo(destination);
        return Task.FromResult(new ExportProjectVersionResponse
        {
            ModelPath = exported.ModelPath,
            MetadataPath = Path.Combine(exported.Directory, ModelPackage.MetadataFileName),
        });
    }

    /// <inheritdoc />
    public Task<CopyProjectVersionResponse> CopyProjectVersionFromStoreAsync(
        CopyProjectVersionRequest request, RekognitionCustomLabelsClient sourceStore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sourceStore);
        return Task.FromResult(copies.Copy(request, sourceStore.Services.Copies));
    }
}
