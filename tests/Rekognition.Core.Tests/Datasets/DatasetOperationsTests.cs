using System.Text;
using System.Text.Json;
using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Datasets;

public class DatasetOperationsTests
{
    private static TestStore NewStore(Action<RekognitionOptions>? configure = null) => new(o =>
    {
        o.CheckImages = false;
        configure?.Invoke(o);
    });

    private static async Task<string> CreateFromManifestAsync(TestStore store, string projectArn, DatasetType type, string manifest, string key = "manifests/train.manifest")
    {
        store.PutObject("my-bucket", key, manifest);
        var response = await store.Client.CreateDatasetAsync(new CreateDatasetRequest
        {
            ProjectArn = projectArn,
            DatasetType = type,
            DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = "my-bucket", Name = key } } },
        });
        return response.DatasetArn!;
    }

    private static string RoomsManifest(int perLabel = 10) => ManifestLines.Join(
        Enumerable.Range(0, perLabel).Select(i => ManifestLines.Classification($"s3://my-bucket/rooms/kitchen_{i}.jpg", "kitchen"))
            .Concat(Enumerable.Range(0, perLabel).Select(i => ManifestLines.Classification($"s3://my-bucket/rooms/bedroom_{i}.jpg", "bedroom")))
            .Append(ManifestLines.Classification("s3://my-bucket/rooms/studio.jpg", "kitchen", "bedroom", "living_room"))
            .Append(ManifestLines.Unlabelled("s3://my-bucket/rooms/unlabelled.jpg")));

    private static async Task<List<string>> AllEntriesAsync(TestStore store, ListDatasetEntriesRequest request)
    {
        var lines = new List<string>();
        do
        {
            var page = await store.Client.ListDatasetEntriesAsync(request);
            lines.AddRange(page.DatasetEntries);
            request.NextToken = page.NextToken;
        }
        while (request.NextToken is not null);

        return lines;
    }

    private static string SourceRefOf(string line) => JsonDocument.Parse(line).RootElement.GetProperty("source-ref").GetString()!;

    [Test]
    public async Task CreateDataset_FromAManifest_ImportsEveryEntryAndReportsStats()
    {
        await using var store = NewStore();
        var project = await store.CreateProjectAsync();
        var arn = await CreateFromManifestAsync(store, project, DatasetType.TRAIN, RoomsManifest());
        Assert.That(arn, Does.Match(@"^arn:aws:rekognition:us-east-1:123456789012:project/demo/dataset/train/[0-9]+$"));

        var description = await store.WaitForDatasetAsync(arn);
        Assert.Multiple(() =>
        {
            Assert.That(description.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE), description.StatusMessage);
            Assert.That(description.StatusMessageCode, Is.EqualTo(DatasetStatusMessageCode.SUCCESS));
            Assert.That(description.DatasetStats!.TotalEntries, Is.EqualTo(22));
            Assert.That(description.DatasetStats.LabeledEntries, Is.EqualTo(21));
            Assert.That(description.DatasetStats.TotalLabels, Is.EqualTo(3));
            Assert.That(description.DatasetStats.ErrorEntries, Is.EqualTo(0));
            Assert.That(description.LastUpdatedTimestamp, Is.GreaterThanOrEqualTo(description.CreationTimestamp!.Value));
        });

        var labels = (await store.Client.ListDatasetLabelsAsync(new ListDatasetLabelsRequest { DatasetArn = arn })).DatasetLabelDescriptions;
        Assert.That(labels.Select(l => (l.LabelName, l.LabelStats!.EntryCount, l.LabelStats.BoundingBoxCount)), Is.EqualTo(new[]
        {
            ("bedroom", 11, 0), ("kitchen", 11, 0), ("living_room", 1, 0),
        }));

        var projectDescription = (await store.Client.DescribeProjectsAsync(new DescribeProjectsRequest())).ProjectDescriptions.Single();
        var metadata = projectDescription.Datasets.Single();
        Assert.That(metadata.DatasetArn, Is.EqualTo(arn));
        Assert.That(metadata.DatasetType, Is.EqualTo(DatasetType.TRAIN));
        Assert.That(metadata.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE));
    }

    [Test]
    public async Task ListDatasetEntries_AppliesEveryFilter_AndPages()
    {
        await using var store = NewStore();
        var project = await store.CreateProjectAsync();
        var manifest = RoomsManifest() + ManifestLines.Detection("s3://my-bucket/rooms/boxed.jpg", ("lamp", 600, 10, 100, 100)) + "\n";
        var arn = await CreateFromManifestAsync(store, project, DatasetType.TRAIN, manifest);
        await store.WaitForDatasetAsync(arn);

        var all = await AllEntriesAsync(store, new ListDatasetEntriesRequest { DatasetArn = arn, MaxResults = 5 });
        Assert.That(all, Has.Count.EqualTo(23));
        Assert.That(all.Select(SourceRefOf), Is.Unique);

        var kitchens = await AllEntriesAsync(store, new ListDatasetEntriesRequest { DatasetArn = arn, ContainsLabels = { "kitchen" } });
        Assert.That(kitchens, Has.Count.EqualTo(11));
        var either = await AllEntriesAsync(store, new ListDatasetEntriesRequest { DatasetArn = arn, ContainsLabels = { "living_room", "bedroom" } });
        Assert.That(either, Has.Count.EqualTo(11));

        var unlabelled = await AllEntriesAsync(store, new ListDatasetEntriesRequest { DatasetArn = arn, Labeled = false });
        Assert.That(unlabelled.Select(SourceRefOf), Is.EquivalentTo(new[] { "s3://my-bucket/rooms/unlabelled.jpg", "s3://my-bucket/rooms/boxed.jpg" }));
        var labelled = await AllEntriesAsync(store, new ListDatasetEntriesRequest { DatasetArn = arn, Labeled = true });
        Assert.That(labelled, Has.Count.EqualTo(21));

        var bySource = await AllEntriesAsync(store, new ListDatasetEntriesRequest { DatasetArn = arn, SourceRefContains = "kitchen_1" });
        Assert.That(bySource.Select(SourceRefOf), Is.EqualTo(new[] { "s3://my-bucket/rooms/kitchen_1.jpg" }));

        // The box runs off the 640-px wide image: the line is kept with its error.
        var withErrors = await AllEntriesAsync(store, new ListDatasetEntriesRequest { DatasetArn = arn, HasErrors = true });
        Assert.That(withErrors.Select(SourceRefOf), Is.EqualTo(new[] { "s3://my-bucket/rooms/boxed.jpg" }));
        Assert.That(withErrors[0], Does.Contain("ERROR_INVALID_BOUNDING_BOX"));
        var withoutErrors = await AllEntriesAsync(store, new ListDatasetEntriesRequest { DatasetArn = arn, HasErrors = false });
        Assert.That(withoutErrors, Has.Count.EqualTo(22));

        var combined = await AllEntriesAsync(store, new ListDatasetEntriesRequest { DatasetArn = arn, ContainsLabels = { "kitchen" }, SourceRefContains = "studio", HasErrors = false });
        Assert.That(combined, Has.Count.EqualTo(1));

        Assert.ThrowsAsync<ValidationException>(() => store.Client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = arn, MaxResults = 101 }));
        Assert.ThrowsAsync<InvalidPaginationTokenException>(() => store.Client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = arn, NextToken = "Zm9v" }));
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = arn, SourceRefContains = "   " }));
    }

    [Test]
    public async Task AHostThatRunsOneJobAtATime_StillImportsABurstOfDatasets()
    {
        // Claims stop at the limit and resume when a job ends: nothing is left waiting in the catalog.
        await using var store = new TestStore(o => o.Host.MaxConcurrentJobs = 1);
        var arns = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var project = await store.CreateProjectAsync($"burst-{i}");
            var manifest = PetDatasets.WriteManifest(store, $"burst{i}", 2, 2);
            arns.Add((await store.Client.CreateDatasetAsync(new CreateDatasetRequest
            {
                ProjectArn = project,
                DatasetType = DatasetType.TRAIN,
                DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = "media", Name = manifest } } },
            })).DatasetArn!);
        }

        foreach (var arn in arns)
        {
            var description = await store.WaitForDatasetAsync(arn);
            Assert.That(description.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE), description.StatusMessage);
            Assert.That(description.DatasetStats!.TotalEntries, Is.EqualTo(4));
        }
    }

    [Test]
    public async Task DetectionDatasets_CountBoundingBoxesPerLabel()
    {
        await using var store = NewStore();
        var project = await store.CreateProjectAsync();
        var manifest = ManifestLines.Join(new[]
        {
            ManifestLines.Detection("s3://my-bucket/pcb/1.png", ("comparator", 10, 10, 50, 40), ("ir_led", 100, 100, 60, 60)),
            ManifestLines.Detection("s3://my-bucket/pcb/2.png", ("comparator", 10, 10, 50, 40), ("comparator", 200, 200, 30, 30)),
            ManifestLines.Classification("s3://my-bucket/pcb/3.png", "ir_led"),
        });
        var arn = await CreateFromManifestAsync(store, project, DatasetType.TRAIN, manifest);
        Assert.That((await store.WaitForDatasetAsync(arn)).Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE));
        var labels = (await store.Client.ListDatasetLabelsAsync(new ListDatasetLabelsRequest { DatasetArn = arn })).DatasetLabelDescriptions;
        Assert.That(labels.Select(l => (l.LabelName, l.LabelStats!.EntryCount, l.LabelStats.BoundingBoxCount)), Is.EqualTo(new[]
        {
            ("comparator", 2, 2), ("ir_led", 2, 1),
        }));
    }

    [Test]
    public async Task UpdateDatasetEntries_ReplacesBySourceRef_AddsNewEntriesAndLabels()
    {
        await using var store = NewStore();
        var project = await store.CreateProjectAsync();
        var arn = await CreateFromManifestAsync(store, project, DatasetType.TRAIN, RoomsManifest());
        await store.WaitForDatasetAsync(arn);

        var changes = ManifestLines.Join(new[]
        {
            ManifestLines.Classification("s3://my-bucket/rooms/kitchen_0.jpg", "dining_room"),
            ManifestLines.Classification("s3://my-bucket/rooms/new.jpg", "bathroom"),
        });
        await store.Client.UpdateDatasetEntriesAsync(new UpdateDatasetEntriesRequest
        {
            DatasetArn = arn,
            Changes = new DatasetChanges { GroundTruth = new MemoryStream(Encoding.UTF8.GetBytes(changes)) },
        });
        var description = await store.WaitForDatasetAsync(arn);
        Assert.That(description.Status, Is.EqualTo(DatasetStatus.UPDATE_COMPLETE), description.StatusMessage);
        Assert.That(description.DatasetStats!.TotalEntries, Is.EqualTo(23));
        Assert.That(description.DatasetStats.TotalLabels, Is.EqualTo(5));

        var kitchen0 = (await store.Client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = arn, SourceRefContains = "kitchen_0.jpg" })).DatasetEntries.Single();
        Assert.That(kitchen0, Does.Contain("dining_room").And.Not.Contain("\"kitchen\""));
        var kitchens = await AllEntriesAsync(store, new ListDatasetEntriesRequest { DatasetArn = arn, ContainsLabels = { "kitchen" } });
        Assert.That(kitchens, Has.Count.EqualTo(10), "the replaced entry no longer carries its old label");
        var labels = (await store.Client.ListDatasetLabelsAsync(new ListDatasetLabelsRequest { DatasetArn = arn, MaxResults = 2 }));
        Assert.That(labels.DatasetLabelDescriptions.Select(l => l.LabelName), Is.EqualTo(new[] { "bathroom", "bedroom" }));
        Assert.That(labels.NextToken, Is.Not.Null);
    }

    [Test]
    public async Task UpdateDatasetEntries_RejectsOversizedOrEmptyChanges()
    {
        await using var store = NewStore(o => o.Limits.MaxChangesBytes = 1000);
        var project = await store.CreateProjectAsync();
        var arn = (await store.Client.CreateDatasetAsync(new CreateDatasetRequest { ProjectArn = project, DatasetType = DatasetType.TRAIN })).DatasetArn!;
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.UpdateDatasetEntriesAsync(new UpdateDatasetEntriesRequest
        {
            DatasetArn = arn, Changes = new DatasetChanges { GroundTruth = new MemoryStream(new byte[1001]) },
        }));
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.UpdateDatasetEntriesAsync(new UpdateDatasetEntriesRequest
        {
            DatasetArn = arn, Changes = new DatasetChanges { GroundTruth = new MemoryStream() },
        }));
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.UpdateDatasetEntriesAsync(new UpdateDatasetEntriesRequest { DatasetArn = arn }));
        Assert.That((await store.WaitForDatasetAsync(arn)).Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE));
    }

    [Test]
    public async Task AFailedUpdate_KeepsEveryStoredEntry()
    {
        await using var store = NewStore();
        var project = await store.CreateProjectAsync();
        var arn = await CreateFromManifestAsync(store, project, DatasetType.TRAIN, RoomsManifest());
        await store.WaitForDatasetAsync(arn);
        var before = await AllEntriesAsync(store, new ListDatasetEntriesRequest { DatasetArn = arn });

        // One good replacement and four broken lines: 80 % invalid, the update fails whole.
        var changes = ManifestLines.Classification("s3://my-bucket/rooms/kitchen_0.jpg", "garage") + "\n{not json\n{\"no-source\":1}\n[]\n\"text\"\n";
        await store.Client.UpdateDatasetEntriesAsync(new UpdateDatasetEntriesRequest
        {
            DatasetArn = arn, Changes = new DatasetChanges { GroundTruth = new MemoryStream(Encoding.UTF8.GetBytes(changes)) },
        });
        var description = await store.WaitForDatasetAsync(arn);
        Assert.That(description.Status, Is.EqualTo(DatasetStatus.UPDATE_FAILED));
        Assert.That(description.StatusMessage, Does.Contain("ERROR_TOO_MANY_RECORDS_IN_ERROR"));
        Assert.That(description.StatusMessageCode, Is.EqualTo(DatasetStatusMessageCode.CLIENT_ERROR));
        Assert.That(await AllEntriesAsync(store, new ListDatasetEntriesRequest { DatasetArn = arn }), Is.EqualTo(before));
        Assert.That(description.DatasetStats!.TotalLabels, Is.EqualTo(3));
    }

    [Test]
    public async Task BadManifests_FailTheCreationWithTheServiceCodes()
    {
        await using var store = NewStore(o =>
        {
            o.Limits.MaxManifestLines = 30;
            o.Limits.MaxLabels = 5;
        });
        var project = await store.CreateProjectAsync();

        async Task<DatasetDescription> CreateAndWait(string manifest)
        {
            var arn = await CreateFromManifestAsync(store, project, DatasetType.TRAIN, manifest, $"m/{Guid.NewGuid():N}.manifest");
            var description = await store.WaitForDatasetAsync(arn);
            await store.Client.DeleteDatasetAsync(new DeleteDatasetRequest { DatasetArn = arn });
            return description;
        }

        var empty = await CreateAndWait("");
        Assert.That(empty.Status, Is.EqualTo(DatasetStatus.CREATE_FAILED));
        Assert.That(empty.StatusMessage, Does.Contain("The manifest file is empty."));

        var tooManyRows = await CreateAndWait(ManifestLines.Join(Enumerable.Range(0, 31).Select(i => ManifestLines.Classification($"s3://my-bucket/{i}.jpg", i % 2 == 0 ? "a" : "b"))));
        Assert.That(tooManyRows.StatusMessage, Does.StartWith("ERROR_MANIFEST_ROWS_EXCEEDS_MAXIMUM"));

        var tooManyLabels = await CreateAndWait(ManifestLines.Join(Enumerable.Range(0, 6).Select(i => ManifestLines.Classification($"s3://my-bucket/{i}.jpg", $"label{i}"))));
        Assert.That(tooManyLabels.StatusMessage, Does.StartWith("ERROR_MANIFEST_TOO_MANY_LABELS"));

        var mostlyBroken = await CreateAndWait("{\"source-ref\":\"s3://my-bucket/ok.jpg\",\n" + ManifestLines.Classification("s3://my-bucket/1.jpg", "a") + "\nnot json at all\n");
        Assert.That(mostlyBroken.StatusMessage, Does.StartWith("ERROR_TOO_MANY_RECORDS_IN_ERROR"));
        Assert.That(mostlyBroken.StatusMessageCode, Is.EqualTo(DatasetStatusMessageCode.CLIENT_ERROR));
        Assert.That(mostlyBroken.DatasetStats!.TotalEntries, Is.EqualTo(0), "a failed creation keeps nothing");
    }

    [Test]
    public async Task AManifestOverTheSizeLimit_FailsBeforeReading()
    {
        await using var store = NewStore(o => o.Limits.MaxManifestBytes = 100);
        var project = await store.CreateProjectAsync();
        var arn = await CreateFromManifestAsync(store, project, DatasetType.TRAIN, RoomsManifest());
        var description = await store.WaitForDatasetAsync(arn);
        Assert.That(description.Status, Is.EqualTo(DatasetStatus.CREATE_FAILED));
        Assert.That(description.StatusMessage, Does.StartWith("ERROR_MANIFEST_SIZE_TOO_LARGE"));
    }

    [Test]
    public async Task CreateDataset_RefusesBadRequests()
    {
        await using var store = NewStore();
        var project = await store.CreateProjectAsync();
        var s3 = new S3Object { Bucket = "my-bucket", Name = "absent.manifest" };
        Assert.ThrowsAsync<InvalidS3ObjectException>(() => store.Client.CreateDatasetAsync(new CreateDatasetRequest
        {
            ProjectArn = project, DatasetType = DatasetType.TRAIN, DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = s3 } },
        }));
        Assert.ThrowsAsync<InvalidS3ObjectException>(() => store.Client.CreateDatasetAsync(new CreateDatasetRequest
        {
            ProjectArn = project, DatasetType = DatasetType.TRAIN,
            DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = "my-bucket", Name = "../../store/catalog.db" } } },
        }));
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.CreateDatasetAsync(new CreateDatasetRequest
        {
            ProjectArn = project, DatasetType = DatasetType.TRAIN,
            DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = s3 }, DatasetArn = "arn:aws:rekognition:us-east-1:123456789012:project/demo/dataset/test/1" },
        }));
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.CreateDatasetAsync(new CreateDatasetRequest { ProjectArn = project, DatasetType = "VALIDATION" }));
        Assert.ThrowsAsync<ResourceNotFoundException>(() => store.Client.CreateDatasetAsync(new CreateDatasetRequest
        {
            ProjectArn = "arn:aws:rekognition:us-east-1:123456789012:project/nope/1", DatasetType = DatasetType.TRAIN,
        }));

        await store.Client.CreateDatasetAsync(new CreateDatasetRequest { ProjectArn = project, DatasetType = DatasetType.TRAIN });
        Assert.ThrowsAsync<ResourceAlreadyExistsException>(() => store.Client.CreateDatasetAsync(new CreateDatasetRequest { ProjectArn = project, DatasetType = DatasetType.TRAIN }));
    }

    [Test]
    public async Task CreateDataset_FromAnotherDataset_CopiesEntriesAndLabels_AndLeavesTheSourceAlone()
    {
        await using var store = NewStore();
        var first = await store.CreateProjectAsync("first");
        var second = await store.CreateProjectAsync("second");
        var source = await CreateFromManifestAsync(store, first, DatasetType.TRAIN, RoomsManifest());
        await store.WaitForDatasetAsync(source);

        var copy = (await store.Client.CreateDatasetAsync(new CreateDatasetRequest
        {
            ProjectArn = second, DatasetType = DatasetType.TEST, DatasetSource = new DatasetSource { DatasetArn = source },
        })).DatasetArn!;
        var description = await store.WaitForDatasetAsync(copy);
        Assert.That(description.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE));
        Assert.That(description.DatasetStats!.TotalEntries, Is.EqualTo(22));
        Assert.That(description.DatasetStats.TotalLabels, Is.EqualTo(3));
        Assert.That(await AllEntriesAsync(store, new ListDatasetEntriesRequest { DatasetArn = copy }),
            Is.EqualTo(await AllEntriesAsync(store, new ListDatasetEntriesRequest { DatasetArn = source })));
        var kitchens = await AllEntriesAsync(store, new ListDatasetEntriesRequest { DatasetArn = copy, ContainsLabels = { "kitchen" } });
        Assert.That(kitchens, Has.Count.EqualTo(11));

        await store.Client.DeleteDatasetAsync(new DeleteDatasetRequest { DatasetArn = copy });
        Assert.That((await store.WaitForDatasetAsync(source)).DatasetStats!.TotalEntries, Is.EqualTo(22));
    }

    [Test]
    public async Task DistributeDatasetEntries_MovesTwentyPercentToTheEmptyTestDataset()
    {
        await using var store = NewStore();
        var project = await store.CreateProjectAsync();
        var train = await CreateFromManifestAsync(store, project, DatasetType.TRAIN, RoomsManifest(perLabel: 20));
        await store.WaitForDatasetAsync(train);
        var test = (await store.Client.CreateDatasetAsync(new CreateDatasetRequest { ProjectArn = project, DatasetType = DatasetType.TEST })).DatasetArn!;
        await store.WaitForDatasetAsync(test);

        await store.Client.DistributeDatasetEntriesAsync(new DistributeDatasetEntriesRequest
        {
            Datasets = { new DistributeDataset { Arn = train }, new DistributeDataset { Arn = test } },
        });
        var trainDescription = await store.WaitForDatasetAsync(train);
        var testDescription = await store.WaitForDatasetAsync(test);
        Assert.That(trainDescription.Status, Is.EqualTo(DatasetStatus.UPDATE_COMPLETE));
        Assert.That(testDescription.Status, Is.EqualTo(DatasetStatus.UPDATE_COMPLETE));
        Assert.That(testDescription.DatasetStats!.TotalEntries, Is.EqualTo(8)); // round(42 * 0.2)
        Assert.That(trainDescription.DatasetStats!.TotalEntries, Is.EqualTo(34));
        var testLabels = (await store.Client.ListDatasetLabelsAsync(new ListDatasetLabelsRequest { DatasetArn = test })).DatasetLabelDescriptions;
        Assert.That(testLabels.Select(l => l.LabelName), Does.Contain("kitchen").And.Contain("bedroom"));

        var trainRefs = (await AllEntriesAsync(store, new ListDatasetEntriesRequest { DatasetArn = train })).Select(SourceRefOf);
        var testRefs = (await AllEntriesAsync(store, new ListDatasetEntriesRequest { DatasetArn = test })).Select(SourceRefOf);
        Assert.That(trainRefs.Intersect(testRefs), Is.Empty);

        // The test dataset is no longer empty: a second distribution is refused.
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.DistributeDatasetEntriesAsync(new DistributeDatasetEntriesRequest
        {
            Datasets = { new DistributeDataset { Arn = train }, new DistributeDataset { Arn = test } },
        }));
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.DistributeDatasetEntriesAsync(new DistributeDatasetEntriesRequest
        {
            Datasets = { new DistributeDataset { Arn = train } },
        }));
    }

    [Test]
    public async Task DistributeDatasetEntries_WithTooFewLabelledImages_FailsBothDatasets()
    {
        await using var store = NewStore();
        var project = await store.CreateProjectAsync();
        var train = await CreateFromManifestAsync(store, project, DatasetType.TRAIN, ManifestLines.Join(new[]
        {
            ManifestLines.Classification("s3://my-bucket/a.jpg", "a"), ManifestLines.Classification("s3://my-bucket/b.jpg", "b"),
        }));
        await store.WaitForDatasetAsync(train);
        var test = (await store.Client.CreateDatasetAsync(new CreateDatasetRequest { ProjectArn = project, DatasetType = DatasetType.TEST })).DatasetArn!;
        await store.Client.DistributeDatasetEntriesAsync(new DistributeDatasetEntriesRequest
        {
            Datasets = { new DistributeDataset { Arn = test }, new DistributeDataset { Arn = train } },
        });
        var trainDescription = await store.WaitForDatasetAsync(train);
        Assert.That(trainDescription.Status, Is.EqualTo(DatasetStatus.UPDATE_FAILED));
        Assert.That(trainDescription.StatusMessage, Does.StartWith("ERROR_INSUFFICIENT_IMAGES_PER_LABEL_FOR_DISTRIBUTE"));
        Assert.That((await store.WaitForDatasetAsync(test)).Status, Is.EqualTo(DatasetStatus.UPDATE_FAILED));
        Assert.That(trainDescription.DatasetStats!.TotalEntries, Is.EqualTo(2));
    }

    [Test]
    public async Task DeleteDataset_RemovesItAndItsEntries()
    {
        await using var store = NewStore();
        var project = await store.CreateProjectAsync();
        var arn = await CreateFromManifestAsync(store, project, DatasetType.TRAIN, RoomsManifest());
        await store.WaitForDatasetAsync(arn);
        await store.Client.DeleteDatasetAsync(new DeleteDatasetRequest { DatasetArn = arn });
        Assert.ThrowsAsync<ResourceNotFoundException>(() => store.Client.DescribeDatasetAsync(new DescribeDatasetRequest { DatasetArn = arn }));
        Assert.ThrowsAsync<ResourceNotFoundException>(() => store.Client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = arn }));
        Assert.ThrowsAsync<ResourceNotFoundException>(() => store.Client.DeleteDatasetAsync(new DeleteDatasetRequest { DatasetArn = arn }));

        // A new TRAIN dataset can be created in its place, and the project can then be deleted once empty.
        var again = await CreateFromManifestAsync(store, project, DatasetType.TRAIN, RoomsManifest(), "manifests/again.manifest");
        Assert.That((await store.WaitForDatasetAsync(again)).DatasetStats!.TotalEntries, Is.EqualTo(22));
        await store.Client.DeleteDatasetAsync(new DeleteDatasetRequest { DatasetArn = again });
        Assert.DoesNotThrowAsync(() => store.Client.DeleteProjectAsync(new DeleteProjectRequest { ProjectArn = project }));
    }

    [Test]
    public async Task Datasets_SurviveReopeningTheStore()
    {
        await using var store = NewStore();
        var project = await store.CreateProjectAsync();
        var arn = await CreateFromManifestAsync(store, project, DatasetType.TRAIN, RoomsManifest());
        await store.WaitForDatasetAsync(arn);
        await store.ReopenAsync();
        var description = await store.WaitForDatasetAsync(arn);
        Assert.That(description.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE));
        Assert.That(description.DatasetStats!.TotalEntries, Is.EqualTo(22));
    }

    [Test]
    public async Task RealImages_AreCheckedFromTheirHeaders()
    {
        var hymenoptera = SharedData.PathOf("hymenoptera");
        await using var store = new TestStore(o => o.AllowedImageRoots.Add(hymenoptera));
        var project = await store.CreateProjectAsync();
        var ants = Directory.GetFiles(Path.Combine(hymenoptera, "train", "ants")).Order(StringComparer.Ordinal).Take(12).ToList();
        var bees = Directory.GetFiles(Path.Combine(hymenoptera, "train", "bees")).Order(StringComparer.Ordinal).Take(12).ToList();
        var gif = Path.Combine(hymenoptera, "train", "ants", "imageNotFound.gif");
        var lines = ants.Where(a => a != gif).Select(a => ManifestLines.Classification(new Uri(a).AbsoluteUri, "ants"))
            .Concat(bees.Select(b => ManifestLines.Classification(b, "bees")))
            .Append(ManifestLines.Classification(new Uri(gif).AbsoluteUri, "ants"))
            .Append(ManifestLines.Classification("/etc/hostname", "bees"));
        var arn = await CreateFromManifestAsync(store, project, DatasetType.TRAIN, ManifestLines.Join(lines));
        var description = await store.WaitForDatasetAsync(arn);
        Assert.That(description.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE), description.StatusMessage);

        var errors = await AllEntriesAsync(store, new ListDatasetEntriesRequest { DatasetArn = arn, HasErrors = true });
        Assert.That(errors.Select(SourceRefOf), Is.EquivalentTo(new[] { new Uri(gif).AbsoluteUri, "/etc/hostname" }));
        Assert.That(errors, Has.All.Contains("ERROR_INVALID_IMAGE"));
        Assert.That(description.DatasetStats!.ErrorEntries, Is.EqualTo(2));
    }
}
