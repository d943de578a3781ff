using Microsoft.Extensions.Logging;
using Rekognition.Core.Arns;
using Rekognition.Core.Catalog;
using Rekognition.Core.Datasets;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;

namespace Rekognition.Core;

// CreateDataset, DescribeDataset, DeleteDataset, ListDatasetEntries, ListDatasetLabels,
// UpdateDatasetEntries, DistributeDatasetEntries.
public sealed partial class RekognitionCustomLabelsClient
{
    public Task<CreateDatasetResponse> CreateDatasetAsync(CreateDatasetRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidation.Arn(request.ProjectArn, "ProjectArn", ResourceKind.Project);
        var type = RequestValidation.Required(request.DatasetType, "DatasetType");
        if (!DatasetType.IsKnown(type.Value))
        {
            throw new InvalidParameterException($"DatasetType '{type.Value}' is not valid: use TRAIN or TEST.");
        }

        RequestValidation.Tags(request.Tags);
        string? manifestPath = null;
        DatasetRecord? source = null;
        if (request.DatasetSource is { } datasetSource)
        {
            if (datasetSource.GroundTruthManifest is not null && datasetSource.DatasetArn is not null)
            {
                throw new InvalidParameterException("DatasetSource must have either GroundTruthManifest or DatasetArn, not both.");
            }

            if (datasetSource.GroundTruthManifest is not null)
            {
                manifestPath = ManifestPath(datasetSource.GroundTruthManifest);
            }
            else if (datasetSource.DatasetArn is not null)
            {
                RequestValidation.Arn(datasetSource.DatasetArn, "DatasetSource.DatasetArn", ResourceKind.Dataset);
                source = _datasets.FindByArn(datasetSource.DatasetArn) ?? throw DatasetNotFound(datasetSource.DatasetArn);
            }
            else
            {
                throw new InvalidParameterException("DatasetSource must have GroundTruthManifest or DatasetArn; omit DatasetSource to create an empty dataset.");
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var project = FindProject(request.ProjectArn!);
        var now = NowMs();
        var arn = ResourceArns.Dataset(_options.Region, _options.AccountId, project.Name, type.Value, now);
        long datasetId;
        using (var connection = _database.Open())
        using (var transaction = connection.BeginTransaction())
        {
            if (!_datasets.TryInsert(connection, transaction, project.Id, type.Value, arn, now, out datasetId))
            {
                throw new ResourceAlreadyExistsException(
                    $"The project already has a {type.Value} dataset. Delete it with DeleteDataset before creating another.");
            }

            if (request.Tags.Count > 0)
            {
                TagStore.TryPut(connection, transaction, arn, request.Tags, MaxTagsPerResource);
            }

            if (manifestPath is null && source is null)
            {
                DatasetStore.FinishOperation(connection, transaction, datasetId, DatasetStatus.CREATE_COMPLETE,
                    "The empty dataset was created. Add entries with UpdateDatasetEntries.", DatasetStatusMessageCode.SUCCESS, now);
            }

            transaction.Commit();
        }

        if (manifestPath is not null)
        {
            var id = datasetId;
            _background.Start($"import {arn}", ct =>
            {
                using var importing = Diagnostics.RekognitionTelemetry.StartImport(arn);
                Importer().ImportManifest(id, manifestPath, ct);
                return Task.CompletedTask;
            });
        }
        else if (source is not null)
        {
            var id = datasetId;
            _background.Start($"copy {source.Arn} to {arn}", _ =>
            {
                CopyDataset(source.Id, id);
                return Task.CompletedTask;
            });
        }

        return Task.FromResult(new CreateDatasetResponse { DatasetArn = arn });
    }

    public Task<DescribeDatasetResponse> DescribeDatasetAsync(DescribeDatasetRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var dataset = FindDataset(request.DatasetArn, "DatasetArn");
        var counts = _datasets.Counts(dataset.Id);
        return Task.FromResult(new DescribeDatasetResponse
        {
            DatasetDescription = new DatasetDescription
            {
                CreationTimestamp = FromMs(dataset.CreatedMs),
                LastUpdatedTimestamp = FromMs(dataset.UpdatedMs),
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
        });
    }

    public Task<DeleteDatasetResponse> DeleteDatasetAsync(DeleteDatasetRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidation.Arn(request.DatasetArn, "DatasetArn", ResourceKind.Dataset);
        using var connection = _database.Open();
        using var transaction = connection.BeginTransaction();
        var dataset = DatasetStore.FindByArn(connection, transaction, request.DatasetArn!) ?? throw DatasetNotFound(request.DatasetArn!);
        if (IsInProgress(dataset.Status))
        {
            throw new ResourceInUseException($"The dataset is {dataset.Status}; it can be deleted once that operation has finished.");
        }

        DatasetStore.Delete(connection, transaction, dataset);
        transaction.Commit();
        return Task.FromResult(new DeleteDatasetResponse());
    }

    public Task<ListDatasetEntriesResponse> ListDatasetEntriesAsync(ListDatasetEntriesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
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

        var dataset = FindDataset(request.DatasetArn, "DatasetArn");
        EnsureReadable(dataset);
        var listing = "entries:" + dataset.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var after = _tokens.ReadLong(request.NextToken, listing);
        var filter = new EntryFilter(request.ContainsLabels.Count > 0 ? request.ContainsLabels : null, request.Labeled, request.SourceRefContains, request.HasErrors);
        var rows = _entries.ListEntries(dataset.Id, filter, after, pageSize);
        var response = new ListDatasetEntriesResponse();
        for (var i = 0; i < rows.Count && i < pageSize; i++)
        {
            response.DatasetEntries.Add(rows[i].Line);
        }

        response.NextToken = _tokens.NextAfter(rows, pageSize, listing, r => r.Id);
        return Task.FromResult(response);
    }

    public Task<ListDatasetLabelsResponse> ListDatasetLabelsAsync(ListDatasetLabelsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pageSize = RequestValidation.PageSize(request.MaxResults, "MaxResults", 100, 100);
        var dataset = FindDataset(request.DatasetArn, "DatasetArn");
        EnsureReadable(dataset);
        var listing = "labels:" + dataset.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var after = _tokens.Read(request.NextToken, listing);
        var rows = _entries.ListLabels(dataset.Id, after, pageSize);
        var response = new ListDatasetLabelsResponse();
        foreach (var row in rows.Take(pageSize))
        {
            response.DatasetLabelDescriptions.Add(new DatasetLabelDescription
            {
                LabelName = row.Label,
                LabelStats = new DatasetLabelStats { EntryCount = row.EntryCount, BoundingBoxCount = row.BoundingBoxCount },
            });
        }

        response.NextToken = _tokens.NextAfter(rows, pageSize, listing, r => r.Label);
        return Task.FromResult(response);
    }

    public Task<UpdateDatasetEntriesResponse> UpdateDatasetEntriesAsync(UpdateDatasetEntriesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidation.Arn(request.DatasetArn, "DatasetArn", ResourceKind.Dataset);
        var changes = RequestValidation.Required(request.Changes, "Changes");
        var blob = RequestValidation.Required(changes.GroundTruth, "Changes.GroundTruth");
        var bytes = blob.ToArray();
        if (bytes.Length == 0)
        {
            throw new InvalidParameterException("Changes.GroundTruth is empty: pass one or more JSON lines.");
        }

        if (bytes.Length > _options.Limits.MaxChangesBytes)
        {
            throw new InvalidParameterException(
                $"Changes.GroundTruth is {bytes.Length} bytes; it must be smaller than {_options.Limits.MaxChangesBytes} bytes (5 MB). Send the lines in several calls.");
        }

        var dataset = _datasets.FindByArn(request.DatasetArn!) ?? throw DatasetNotFound(request.DatasetArn!);
        using (var connection = _database.Open())
        {
            if (!_datasets.TryBeginOperation(connection, null, dataset.Id, DatasetStatus.UPDATE_IN_PROGRESS, NowMs()))
            {
                throw new ResourceInUseException("Another operation is running on this dataset; wait for DescribeDataset to report it finished, then retry.");
            }
        }

        _background.Start($"update {dataset.Arn}", ct =>
        {
            Importer().ApplyChanges(dataset.Id, bytes, ct);
            return Task.CompletedTask;
        });
        return Task.FromResult(new UpdateDatasetEntriesResponse());
    }

    public Task<DistributeDatasetEntriesResponse> DistributeDatasetEntriesAsync(DistributeDatasetEntriesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Datasets.Count != 2)
        {
            throw new InvalidParameterException("Datasets must list exactly two datasets: the project's training dataset and its test dataset.");
        }

        var datasets = request.Datasets.Select((d, i) => FindDataset(d?.Arn, $"Datasets[{i}].Arn")).ToArray();
        if (datasets[0].Id == datasets[1].Id)
        {
            throw new InvalidParameterException("Datasets names the same dataset twice: give the project's TRAIN dataset and its TEST dataset.");
        }

        // Two of one type (or the same ARN twice) is the caller's mistake, not a server fault.
        var train = datasets.FirstOrDefault(d => d.Type == DatasetType.TRAIN.Value);
        var test = datasets.FirstOrDefault(d => d.Type == DatasetType.TEST.Value);
        if (train is null || test is null)
        {
            throw new InvalidParameterException(
                $"Datasets must be one TRAIN dataset and one TEST dataset; these are {datasets[0].Type} and {datasets[1].Type}.");
        }

        if (train.ProjectId != test.ProjectId)
        {
            throw new InvalidParameterException("The training and test datasets must belong to the same project.");
        }

        using (var connection = _database.Open())
        using (var transaction = connection.BeginTransaction())
        {
            var testEntries = ScalarCount(connection, transaction, "SELECT COUNT(*) FROM entries WHERE dataset_id = $id", test.Id);
            if (testEntries > 0)
            {
                throw new InvalidParameterException($"The test dataset must be empty to receive distributed entries; it has {testEntries}.");
            }

            var now = NowMs();
            if (!_datasets.TryBeginOperation(connection, transaction, train.Id, DatasetStatus.UPDATE_IN_PROGRESS, now) ||
                !_datasets.TryBeginOperation(connection, transaction, test.Id, DatasetStatus.UPDATE_IN_PROGRESS, now))
            {
                throw new ResourceNotReadyException("An operation is running on one of the datasets; wait until both report a *_COMPLETE or *_FAILED status.");
            }

            transaction.Commit();
        }

        _background.Start($"distribute {train.Arn}", _ =>
        {
            Distribute(train.Id, test.Id);
            return Task.CompletedTask;
        });
        return Task.FromResult(new DistributeDatasetEntriesResponse());
    }

    private void Distribute(long trainId, long testId)
    {
        using var connection = _database.Open();
        using var transaction = connection.BeginTransaction();
        var entries = EntryQueries.EntriesWithLabels(connection, transaction, trainId);
        var chosen = DatasetSplit.ChooseTestEntries(entries.Select(e => (IReadOnlyCollection<string>)e.Labels).ToList());
        var now = NowMs();
        if (chosen.Length == 0)
        {
            transaction.Rollback();
            var message = "ERROR_INSUFFICIENT_IMAGES_PER_LABEL_FOR_DISTRIBUTE: The manifest file doesn't contain enough labeled images to distribute the dataset. " +
                          "At least one label needs two labelled images.";
            _datasets.FinishOperation(trainId, DatasetStatus.UPDATE_FAILED, message, DatasetStatusMessageCode.CLIENT_ERROR, now);
            _datasets.FinishOperation(testId, DatasetStatus.UPDATE_FAILED, message, DatasetStatusMessageCode.CLIENT_ERROR, now);
            return;
        }

        EntryQueries.MoveEntries(connection, transaction, trainId, testId, chosen.Select(i => entries[i].Id));
        DatasetStore.FinishOperation(connection, transaction, trainId, DatasetStatus.UPDATE_COMPLETE,
            $"{chosen.Length} of {entries.Count} entries were moved to the test dataset.", DatasetStatusMessageCode.SUCCESS, now);
        DatasetStore.FinishOperation(connection, transaction, testId, DatasetStatus.UPDATE_COMPLETE,
            $"{chosen.Length} entries were received from the training dataset.", DatasetStatusMessageCode.SUCCESS, now);
        transaction.Commit();
    }

    private void CopyDataset(long sourceId, long targetId)
    {
        using var connection = _database.Open();
        using var transaction = connection.BeginTransaction();
        EntryQueries.CopyAll(connection, transaction, sourceId, targetId);
        var copied = ScalarCount(connection, transaction, "SELECT COUNT(*) FROM entries WHERE dataset_id = $id", targetId);
        DatasetStore.FinishOperation(connection, transaction, targetId, DatasetStatus.CREATE_COMPLETE,
            $"The dataset was created as a copy: {copied} entries.", DatasetStatusMessageCode.SUCCESS, NowMs());
        transaction.Commit();
    }

    private DatasetImporter Importer() => new(_database, _options, _resolver, _logger, NowMs);

    private string ManifestPath(GroundTruthManifest manifest)
    {
        var s3 = manifest.S3Object ?? throw new InvalidParameterException("GroundTruthManifest.S3Object is required: give the Bucket and Name of the manifest.");
        var bucket = RequestValidation.Required(s3.Bucket, "GroundTruthManifest.S3Object.Bucket");
        var name = RequestValidation.Required(s3.Name, "GroundTruthManifest.S3Object.Name");
        RequestValidation.Length(bucket, "GroundTruthManifest.S3Object.Bucket", 3, 255);
        RequestValidation.Length(name, "GroundTruthManifest.S3Object.Name", 1, 1024);
        var resolved = _resolver.Resolve($"s3://{bucket}/{name}");
        var failure = Storage.Confinement.ConfinedOpenFailure.InvalidPath;
        using (var stream = resolved.IsResolved ? _resolver.OpenRead(resolved.LocalPath!, out failure, bufferSize: 1) : null)
        {
            if (stream is null)
            {
                // The caller learns the bucket and key; the machine path goes to the log only.
                if (_logger.IsEnabled(LogLevel.Information))
                {
                    _logger.LogInformation("Manifest s3://{Bucket}/{Key} refused ({Failure}): {Path}", bucket, name, failure.ToString(), resolved.LocalPath);
                }

                throw new InvalidS3ObjectException(
                    $"Unable to get object metadata from S3. Check object key, region and/or access permissions. (s3://{bucket}/{name} is not a readable object.)");
            }
        }

        return resolved.LocalPath!;
    }

    private DatasetRecord FindDataset(string? arn, string member)
    {
        RequestValidation.Arn(arn, member, ResourceKind.Dataset);
        return _datasets.FindByArn(arn!) ?? throw DatasetNotFound(arn!);
    }

    private static void EnsureReadable(DatasetRecord dataset)
    {
        if (dataset.Status == DatasetStatus.CREATE_IN_PROGRESS.Value)
        {
            throw new ResourceNotReadyException("The dataset is still being created; poll DescribeDataset until its status is CREATE_COMPLETE.");
        }
    }

    private static bool IsInProgress(string status) =>
        status == DatasetStatus.CREATE_IN_PROGRESS.Value || status == DatasetStatus.UPDATE_IN_PROGRESS.Value || status == DatasetStatus.DELETE_IN_PROGRESS.Value;

    private static long ScalarCount(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, string sql, long id)
    {
        using var command = connection.Command(sql, transaction).With("$id", id);
        return command.Scalar();
    }

    private static ResourceNotFoundException DatasetNotFound(string arn) =>
        new($"The dataset {arn} does not exist. Check the ARN (DescribeProjects lists a project's datasets).");
}
