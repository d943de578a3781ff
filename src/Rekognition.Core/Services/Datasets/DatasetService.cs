using Microsoft.Extensions.Logging;
using Rekognition.Core.Arns;
using Rekognition.Core.Catalog;
using Rekognition.Core.Datasets;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;
using Rekognition.Core.Services.Jobs;
using Rekognition.Core.Services.Tags;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Services.Datasets;

/// <summary>
/// CreateDataset, DescribeDataset, DeleteDataset, ListDatasetEntries, ListDatasetLabels, UpdateDatasetEntries,
/// DistributeDatasetEntries. Imports, updates, distributions and copies are durable jobs (<see cref="JobKind"/>) that a host
/// with the <c>import</c> role runs; one whose host died is run again from nothing by another (its writes are one
/// transaction, so nothing of the first attempt was kept).
/// </summary>
internal sealed class DatasetService(
    RekognitionOptions options,
    ICatalog catalog,
    IDatasetCatalog datasets,
    IEntryCatalog entries,
    ITagCatalog tags,
    SourceRefResolver resolver,
    PaginationToken tokens,
    JobQueue jobs,
    ResourceLookup lookup,
    ManifestLocator manifests,
    StoreClock clock,
    Store store,
    ILogger<DatasetService> logger) : IJobHandler
{
    public CreateDatasetResponse Create(CreateDatasetRequest request, CancellationToken cancellationToken)
    {
        RequestValidation.Arn(request.ProjectArn, "ProjectArn", ResourceKind.Project);
        var type = RequestValidation.Required(request.DatasetType, "DatasetType");
        if (!DatasetType.IsKnown(type.Value))
        {
            throw new InvalidParameterException($"DatasetType '{type.Value}' is not valid: use TRAIN or TEST.");
        }

        RequestValidation.Tags(request.Tags);
        S3Object? manifest = null;
        DatasetRecord? source = null;
        if (request.DatasetSource is { } datasetSource)
        {
            if (datasetSource.GroundTruthManifest is not null && datasetSource.DatasetArn is not null)
            {
                throw new InvalidParameterException("DatasetSource must have either GroundTruthManifest or DatasetArn, not both.");
            }

            if (datasetSource.GroundTruthManifest is not null)
            {
                manifests.Locate(datasetSource.GroundTruthManifest); // checked now: a caller's error is answered, not queued
                manifest = datasetSource.GroundTruthManifest.S3Object!;
            }
            else if (datasetSource.DatasetArn is not null)
            {
                source = lookup.Dataset(datasetSource.DatasetArn, "DatasetSource.DatasetArn");
            }
            else
            {
                throw new InvalidParameterException("DatasetSource must have GroundTruthManifest or DatasetArn; omit DatasetSource to create an empty dataset.");
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var project = lookup.Project(request.ProjectArn!);
        var now = clock.NowMs();
        var arn = ResourceArns.Dataset(options.Region, options.AccountId, project.Name, type.Value, now);
        long datasetId;
        using (var transaction = catalog.BeginTransaction())
        {
            if (!datasets.TryInsert(transaction, project.Id, type.Value, arn, now, out datasetId))
            {
                throw new ResourceAlreadyExistsException(
                    $"The project already has a {type.Value} dataset. Delete it with DeleteDataset before creating another.");
            }

            if (request.Tags.Count > 0)
            {
                tags.TryPut(arn, request.Tags, TagService.MaxTagsPerResource, transaction);
            }

            if (manifest is not null)
            {
                jobs.Enqueue(transaction, JobKind.Import, arn, new ImportPayload(datasetId, manifest.Bucket!, manifest.Name!));
            }
            else if (source is not null)
            {
                jobs.Enqueue(transaction, JobKind.CopyDataset, arn, new DatasetPairPayload(source.Id, datasetId));
            }
            else
            {
                datasets.FinishOperation(transaction, datasetId, DatasetStatus.CREATE_COMPLETE,
                    "The empty dataset was created. Add entries with UpdateDatasetEntries.", DatasetStatusMessageCode.SUCCESS, now);
            }

            transaction.Commit();
        }

        jobs.Wake();

        return new CreateDatasetResponse { DatasetArn = arn };
    }

    public DescribeDatasetResponse Describe(DescribeDatasetRequest request)
    {
        var dataset = lookup.Dataset(request.DatasetArn, "DatasetArn");
        var counts = datasets.Counts(dataset.Id);
        return new DescribeDatasetResponse
        {
            DatasetDescription = new DatasetDescription
            {
                CreationTimestamp = StoreClock.FromMs(dataset.CreatedMs),
                LastUpdatedTimestamp = StoreClock.FromMs(dataset.UpdatedMs),
                Status = DatasetStatus.FindValue(dataset.Status),
                StatusMessage = dataset.StatusMessage,
                StatusMessageCode = dataset.StatusMessageCode is null ? null : DatasetStatusMessageCode.FindValue(dataset.StatusMessageCode),
                DatasetStats = new DatasetStats
                {
                    LabeledEntries = counts.LabeledEntries,
                    TotalEntries = counts.TotalEntries,
                    TotalLabels = counts.TotalLabels,
                    ErrorEntries = counts.ErrorEntries,
                },
            },
        };
    }

    public DeleteDatasetResponse Delete(DeleteDatasetRequest request)
    {
        RequestValidation.Arn(request.DatasetArn, "DatasetArn", ResourceKind.Dataset);
        using var transaction = catalog.BeginTransaction();
        var dataset = datasets.FindByArn(request.DatasetArn!, transaction) ?? throw ResourceLookup.DatasetNotFound(request.DatasetArn!);
        if (ResourceLookup.IsInProgress(dataset.Status))
        {
            throw new ResourceInUseException($"The dataset is {dataset.Status}; it can be deleted once that operation has finished.");
        }

        datasets.Delete(transaction, dataset);
        transaction.Commit();
        StoreCleanup.TryDeleteObjects(store, StoreLayout.DatasetThumbnails(dataset.Id), logger); // the console's thumbnails of its images
        return new DeleteDatasetResponse();
    }

    public ListDatasetEntriesResponse ListEntries(ListDatasetEntriesRequest request)
    {
        var pageSize = RequestValidation.PageSize(request.MaxResults, "MaxResults", 100, 100);
        if (request.ContainsLabels.Count > 10)
        {
            throw new InvalidParameterException("1 validation error detected: Value at 'containsLabels' failed to satisfy constraint: Member must have length less than or equal to 10.");
        }

        foreach (var label in request.ContainsLabels)
        {
            RequestValidation.Required(label, "ContainsLabels");
            RequestValidation.Length(label, "ContainsLabels", 1, 255);
        }

        if (request.SourceRefContains is not null)
        {
            RequestValidation.Length(request.SourceRefContains, "SourceRefContains", 1, 2048);
            if (string.IsNullOrWhiteSpace(request.SourceRefContains))
            {
                throw new InvalidParameterException("SourceRefContains must contain a non-blank character.");
            }
        }

        var dataset = lookup.Dataset(request.DatasetArn, "DatasetArn");
        EnsureReadable(dataset);
        var listing = "entries:" + dataset.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var after = tokens.ReadLong(request.NextToken, listing);
        var filter = new EntryFilter(request.ContainsLabels.Count > 0 ? request.ContainsLabels : null, request.Labeled, request.SourceRefContains, request.HasErrors);
        var rows = entries.ListEntries(dataset.Id, filter, after, pageSize);
        var response = new ListDatasetEntriesResponse();
        for (var i = 0; i < rows.Count && i < pageSize; i++)
        {
            response.DatasetEntries.Add(rows[i].Line);
        }

        response.NextToken = tokens.NextAfter(rows, pageSize, listing, r => r.Id);
        return response;
    }

    public ListDatasetLabelsResponse ListLabels(ListDatasetLabelsRequest request)
    {
        var pageSize = RequestValidation.PageSize(request.MaxResults, "MaxResults", 100, 100);
        var dataset = lookup.Dataset(request.DatasetArn, "DatasetArn");
        EnsureReadable(dataset);
        var listing = "labels:" + dataset.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var after = tokens.Read(request.NextToken, listing);
        var rows = entries.ListLabels(dataset.Id, after, pageSize);
        var response = new ListDatasetLabelsResponse();
        foreach (var row in rows.Take(pageSize))
        {
            response.DatasetLabelDescriptions.Add(new DatasetLabelDescription
            {
                LabelName = row.Label,
                LabelStats = new DatasetLabelStats { EntryCount = row.EntryCount, BoundingBoxCount = row.BoundingBoxCount },
            });
        }

        response.NextToken = tokens.NextAfter(rows, pageSize, listing, r => r.Label);
        return response;
    }

    public UpdateDatasetEntriesResponse UpdateEntries(UpdateDatasetEntriesRequest request)
    {
        RequestValidation.Arn(request.DatasetArn, "DatasetArn", ResourceKind.Dataset);
        var changes = RequestValidation.Required(request.Changes, "Changes");
        var blob = RequestValidation.Required(changes.GroundTruth, "Changes.GroundTruth");
        var bytes = blob.ToArray();
        if (bytes.Length == 0)
        {
            throw new InvalidParameterException("Changes.GroundTruth is empty: pass one or more JSON lines.");
        }

        if (bytes.Length > options.Limits.MaxChangesBytes)
        {
            throw new InvalidParameterException(
                $"Changes.GroundTruth is {bytes.Length} bytes; it must be smaller than {options.Limits.MaxChangesBytes} bytes (5 MB). Send the lines in several calls.");
        }

        var dataset = datasets.FindByArn(request.DatasetArn!) ?? throw ResourceLookup.DatasetNotFound(request.DatasetArn!);
        using (var transaction = catalog.BeginTransaction())
        {
            if (!datasets.TryBeginOperation(transaction, dataset.Id, DatasetStatus.UPDATE_IN_PROGRESS, clock.NowMs()))
            {
                throw new ResourceInUseException("Another operation is running on this dataset; wait for DescribeDataset to report it finished, then retry.");
            }

            jobs.Enqueue(transaction, JobKind.Update, dataset.Arn, new UpdatePayload(dataset.Id, bytes));
            transaction.Commit();
        }

        jobs.Wake();
        return new UpdateDatasetEntriesResponse();
    }

    public DistributeDatasetEntriesResponse Distribute(DistributeDatasetEntriesRequest request)
    {
        if (request.Datasets.Count != 2)
        {
            throw new InvalidParameterException("Datasets must list exactly two datasets: the project's training dataset and its test dataset.");
        }

        var pair = request.Datasets.Select((d, i) => lookup.Dataset(d?.Arn, $"Datasets[{i}].Arn")).ToArray();
        if (pair[0].Id == pair[1].Id)
        {
            throw new InvalidParameterException("Datasets names the same dataset twice: give the project's TRAIN dataset and its TEST dataset.");
        }

        // Two of one type (or the same ARN twice) is the caller's mistake, not a server fault.
        var train = pair.FirstOrDefault(d => d.Type == DatasetType.TRAIN.Value);
        var test = pair.FirstOrDefault(d => d.Type == DatasetType.TEST.Value);
        if (train is null || test is null)
        {
            throw new InvalidParameterException(
                $"Datasets must be one TRAIN dataset and one TEST dataset; these are {pair[0].Type} and {pair[1].Type}.");
        }

        if (train.ProjectId != test.ProjectId)
        {
            throw new InvalidParameterException("The training and test datasets must belong to the same project.");
        }

        using (var transaction = catalog.BeginTransaction())
        {
            var testEntries = datasets.CountEntries(transaction, test.Id);
            if (testEntries > 0)
            {
                throw new InvalidParameterException($"The test dataset must be empty to receive distributed entries; it has {testEntries}.");
            }

            var now = clock.NowMs();
            if (!datasets.TryBeginOperation(transaction, train.Id, DatasetStatus.UPDATE_IN_PROGRESS, now) ||
                !datasets.TryBeginOperation(transaction, test.Id, DatasetStatus.UPDATE_IN_PROGRESS, now))
            {
                throw new ResourceNotReadyException("An operation is running on one of the datasets; wait until both report a *_COMPLETE or *_FAILED status.");
            }

            jobs.Enqueue(transaction, JobKind.Distribute, train.Arn, new DatasetPairPayload(train.Id, test.Id));
            transaction.Commit();
        }

        jobs.Wake();
        return new DistributeDatasetEntriesResponse();
    }

    /// <inheritdoc/>
    public IReadOnlyCollection<JobKind> Kinds { get; } = [JobKind.Import, JobKind.Update, JobKind.Distribute, JobKind.CopyDataset];

    /// <inheritdoc/>
    public Task RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        // Run again after a host died, or after the work ended but before the job was removed: only if still waited for.
        var dataset = datasets.FindByArn(job.ResourceArn);
        if (dataset is null || !ResourceLookup.IsInProgress(dataset.Status))
        {
            return Task.CompletedTask;
        }

        switch (job.Kind)
        {
            case JobKind.Import:
                var import = JobPayloadJsonContext.Read<ImportPayload>(job);
                string path;
                try
                {
                    path = manifests.Locate(new GroundTruthManifest { S3Object = new S3Object { Bucket = import.Bucket, Name = import.Name } });
                }
                catch (AmazonRekognitionException ex)
                {
                    datasets.FinishOperation(null, import.DatasetId, DatasetStatus.CREATE_FAILED, ex.Message, DatasetStatusMessageCode.CLIENT_ERROR, clock.NowMs());
                    return Task.CompletedTask;
                }
                catch (IOException ex)
                {
                    // The manifest's folder changed under the job (e.g. swapped for a link out of the buckets root): fail the
                    // dataset, as the importer does for a manifest it cannot read, instead of leaving it in progress.
                    DatasetLog.ManifestNotLocated(logger, ex, job.ResourceArn);
                    datasets.FinishOperation(null, import.DatasetId, DatasetStatus.CREATE_FAILED,
                        $"{Validation.ValidationCodes.ManifestInaccessibleOrUnsupportedFormat}: The manifest file can no longer be read from its bucket.",
                        DatasetStatusMessageCode.CLIENT_ERROR, clock.NowMs());
                    return Task.CompletedTask;
                }

                using (Diagnostics.RekognitionTelemetry.StartImport(job.ResourceArn))
                {
                    Importer().ImportManifest(import.DatasetId, path, cancellationToken);
                }

                break;
            case JobKind.Update:
                var update = JobPayloadJsonContext.Read<UpdatePayload>(job);
                Importer().ApplyChanges(update.DatasetId, update.Changes, cancellationToken);
                break;
            case JobKind.Distribute:
                var pair = JobPayloadJsonContext.Read<DatasetPairPayload>(job);
                MoveTestEntries(pair.FromDatasetId, pair.ToDatasetId);
                break;
            case JobKind.CopyDataset:
                var copy = JobPayloadJsonContext.Read<DatasetPairPayload>(job);
                CopyDataset(copy.FromDatasetId, copy.ToDatasetId);
                break;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public void RecordFailure(JobRecord job, string message)
    {
        var now = clock.NowMs();
        var dataset = datasets.FindByArn(job.ResourceArn);
        FailIfInProgress(dataset);
        if (job.Kind == JobKind.Distribute && dataset is not null)
        {
            // The pair's test dataset was put in progress with the training one.
            var testId = JobPayloadJsonContext.Read<DatasetPairPayload>(job).ToDatasetId;
            FailIfInProgress(datasets.ListForProject(dataset.ProjectId).Find(d => d.Id == testId));
        }

        void FailIfInProgress(DatasetRecord? dataset)
        {
            if (dataset is null || !ResourceLookup.IsInProgress(dataset.Status) || dataset.Status == DatasetStatus.DELETE_IN_PROGRESS.Value)
            {
                return;
            }

            var failed = dataset.Status == DatasetStatus.CREATE_IN_PROGRESS.Value ? DatasetStatus.CREATE_FAILED : DatasetStatus.UPDATE_FAILED;
            datasets.FinishOperation(null, dataset.Id, failed, message, DatasetStatusMessageCode.SERVICE_ERROR, now);
        }
    }

    private void MoveTestEntries(long trainId, long testId)
    {
        using var transaction = catalog.BeginTransaction();
        var lines = entries.EntriesWithLabels(trainId, transaction);
        var chosen = DatasetSplit.ChooseTestEntries(lines.Select(e => (IReadOnlyCollection<string>)e.Labels).ToList());
        var now = clock.NowMs();
        if (chosen.Length == 0)
        {
            transaction.Rollback();
            var message = "ERROR_INSUFFICIENT_IMAGES_PER_LABEL_FOR_DISTRIBUTE: The manifest file doesn't contain enough labeled images to distribute the dataset. " +
                          "At least one label needs two labelled images.";
            datasets.FinishOperation(null, trainId, DatasetStatus.UPDATE_FAILED, message, DatasetStatusMessageCode.CLIENT_ERROR, now);
            datasets.FinishOperation(null, testId, DatasetStatus.UPDATE_FAILED, message, DatasetStatusMessageCode.CLIENT_ERROR, now);
            return;
        }

        entries.MoveEntries(transaction, trainId, testId, chosen.Select(i => lines[i].Id));
        datasets.FinishOperation(transaction, trainId, DatasetStatus.UPDATE_COMPLETE,
            $"{chosen.Length} of {lines.Count} entries were moved to the test dataset.", DatasetStatusMessageCode.SUCCESS, now);
        datasets.FinishOperation(transaction, testId, DatasetStatus.UPDATE_COMPLETE,
            $"{chosen.Length} entries were received from the training dataset.", DatasetStatusMessageCode.SUCCESS, now);
        transaction.Commit();
    }

    private void CopyDataset(long sourceId, long targetId)
    {
        using var transaction = catalog.BeginTransaction();
        entries.CopyAll(transaction, sourceId, targetId);
        var copied = datasets.CountEntries(transaction, targetId);
        datasets.FinishOperation(transaction, targetId, DatasetStatus.CREATE_COMPLETE,
            $"The dataset was created as a copy: {copied} entries.", DatasetStatusMessageCode.SUCCESS, clock.NowMs());
        transaction.Commit();
    }

    private DatasetImporter Importer() => new(catalog, options, resolver, logger, clock.NowMs);

    private static void EnsureReadable(DatasetRecord dataset)
    {
        if (dataset.Status == DatasetStatus.CREATE_IN_PROGRESS.Value)
        {
            throw new ResourceNotReadyException("The dataset is still being created; poll DescribeDataset until its status is CREATE_COMPLETE.");
        }
    }
}
