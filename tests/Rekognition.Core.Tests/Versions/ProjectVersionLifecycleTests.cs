using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Versions;

public class ProjectVersionLifecycleTests
{
    private static async Task<(TestStore Store, FakeModelRuntime Runtime, string Project, string Version)> ImportedAsync(bool withRuntime = true)
    {
        var runtime = new FakeModelRuntime();
        var store = new TestStore(withRuntime ? runtime : null);
        var project = await store.CreateProjectAsync("digits");
        var model = ModelPackages.WriteMnist(Path.Combine(store.Root, "package"));
        var version = (await store.Models.ImportProjectVersionAsync(new ImportProjectVersionRequest
        {
            ProjectArn = project, VersionName = "mnist.v1", ModelPath = model, VersionDescription = "MNIST from the ONNX model zoo", Tags = { ["source"] = "zoo" },
        })).ProjectVersionArn!;
        return (store, runtime, project, version);
    }

    private static async Task<ProjectVersionDescription> DescribeAsync(TestStore store, string project, string versionArn)
    {
        var all = await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project });
        return all.ProjectVersionDescriptions.Single(v => v.ProjectVersionArn == versionArn);
    }

    private static async Task<ProjectVersionDescription> WaitForAsync(TestStore store, string project, string versionArn, params string[] statuses)
    {
        for (var i = 0; i < 500; i++)
        {
            var description = await DescribeAsync(store, project, versionArn);
            if (statuses.Contains(description.Status!.Value))
            {
                return description;
            }

            await Task.Delay(10);
        }

        Assert.Fail($"The model never reached {string.Join("/", statuses)}.");
        return null!;
    }

    [Test]
    public async Task AnImportedModel_IsTrainedAndDescribed()
    {
        var (store, _, project, version) = await ImportedAsync();
        await using var _ = store;
        Assert.That(version, Does.Match(@"^arn:aws:rekognition:us-east-1:123456789012:project/digits/version/mnist\.v1/[0-9]+$"));
        var description = await DescribeAsync(store, project, version);
        Assert.Multiple(() =>
        {
            Assert.That(description.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED));
            Assert.That(description.StatusMessage, Is.EqualTo("The model is ready to run."));
            Assert.That(description.VersionDescription, Is.EqualTo("MNIST from the ONNX model zoo"));
            Assert.That(description.Feature, Is.EqualTo(CustomizationFeature.CUSTOM_LABELS));
            Assert.That(description.MinInferenceUnits, Is.Null);
        });
        var tags = await store.Client.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = version });
        Assert.That(tags.Tags["source"], Is.EqualTo("zoo"));
    }

    [Test]
    public async Task StartStopStart_FollowsTheServiceStatuses()
    {
        var (store, runtime, project, version) = await ImportedAsync();
        await using var _ = store;
        runtime.StartDelay = TimeSpan.FromMilliseconds(100);
        var start = await store.Client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = version, MinInferenceUnits = 1, MaxInferenceUnits = 3 });
        Assert.That(start.Status, Is.EqualTo(ProjectVersionStatus.STARTING));
        Assert.ThrowsAsync<ResourceInUseException>(() => store.Client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = version, MinInferenceUnits = 1 }));

        var running = await WaitForAsync(store, project, version, "RUNNING");
        Assert.Multiple(() =>
        {
            Assert.That(running.MinInferenceUnits, Is.EqualTo(1));
            Assert.That(running.MaxInferenceUnits, Is.EqualTo(3));
            Assert.That(running.InServiceInferenceUnits, Is.EqualTo(1));
            Assert.That(running.DesiredInferenceUnits, Is.EqualTo(1));
        });
        Assert.ThrowsAsync<ResourceInUseException>(() => store.Client.DeleteProjectVersionAsync(new DeleteProjectVersionRequest { ProjectVersionArn = version }));

        var stop = await store.Client.StopProjectVersionAsync(new StopProjectVersionRequest { ProjectVersionArn = version });
        Assert.That(stop.Status, Is.EqualTo(ProjectVersionStatus.STOPPING));
        var stopped = await WaitForAsync(store, project, version, "STOPPED");
        Assert.That(stopped.StatusMessage, Is.EqualTo("The model has stopped running."));
        Assert.That(runtime.Hosts.Single().Disposed, Is.True);
        Assert.ThrowsAsync<ResourceInUseException>(() => store.Client.StopProjectVersionAsync(new StopProjectVersionRequest { ProjectVersionArn = version }));

        await store.Client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = version, MinInferenceUnits = 2 });
        var again = await WaitForAsync(store, project, version, "RUNNING");
        Assert.That(again.MaxInferenceUnits, Is.EqualTo(2), "without MaxInferenceUnits the model does not scale");
        Assert.That(runtime.Hosts, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task StartingWithoutAnInferenceRuntime_FailsWithAMessage()
    {
        var (store, _, project, version) = await ImportedAsync(withRuntime: false);
        await using var _ = store;
        await store.Client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = version, MinInferenceUnits = 1 });
        var failed = await WaitForAsync(store, project, version, "FAILED");
        Assert.That(failed.StatusMessage, Does.Contain("AddRekognitionOnnx"));
    }

    [Test]
    public async Task StartProjectVersion_ValidatesItsUnits()
    {
        var (store, _, _, version) = await ImportedAsync();
        await using var _ = store;
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = version }));
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = version, MinInferenceUnits = 0 }));
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = version, MinInferenceUnits = 3, MaxInferenceUnits = 2 }));
        Assert.ThrowsAsync<LimitExceededException>(() => store.Client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = version, MinInferenceUnits = 1, MaxInferenceUnits = 1000 }));
        Assert.ThrowsAsync<ResourceNotFoundException>(() => store.Client.StartProjectVersionAsync(new StartProjectVersionRequest
        {
            ProjectVersionArn = "arn:aws:rekognition:us-east-1:123456789012:project/digits/version/none/1", MinInferenceUnits = 1,
        }));
    }

    [Test]
    public async Task ARunningModel_IsStoppedWhenItsProcessEnds()
    {
        var (store, _, project, version) = await ImportedAsync();
        await using var _ = store;
        await store.Client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = version, MinInferenceUnits = 1 });
        await WaitForAsync(store, project, version, "RUNNING");

        // Another client on the same store sees it running (this process hosts it) ...
        await using (var services = store.BuildServices())
        {
            var other = services.GetRequiredService<IAmazonRekognition>();
            var seen = (await other.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project })).ProjectVersionDescriptions.Single();
            Assert.That(seen.Status, Is.EqualTo(ProjectVersionStatus.RUNNING));
        }

        // ... and once the hosting client is gone (no host serves it under a live lease), it reads STOPPED.
        await store.Client.DisposeAsync();
        store.ExecuteCatalogSql("UPDATE serving_hosts SET lease_until_ms = 1");

        await store.ReopenAsync();
        var description = await DescribeAsync(store, project, version);
        Assert.That(description.Status, Is.EqualTo(ProjectVersionStatus.STOPPED));
        Assert.That(description.StatusMessage, Does.Contain("process hosting it ended"));
    }

    [Test]
    public async Task ExportThenImport_RoundTripsThePackage()
    {
        var (store, _, project, version) = await ImportedAsync();
        await using var _ = store;
        var export = Path.Combine(store.Root, "export");
        var exported = await store.Models.ExportProjectVersionAsync(new ExportProjectVersionRequest { ProjectVersionArn = version, DestinationDirectory = export });
        Assert.That(File.ReadAllBytes(exported.ModelPath!), Is.EqualTo(File.ReadAllBytes(SharedData.PathOf("models/mnist-8_statefulcnn.onnx"))));
        Assert.That(File.ReadAllText(exported.MetadataPath!), Does.Contain("\"Plus214_Output_0\""));

        var second = (await store.Models.ImportProjectVersionAsync(new ImportProjectVersionRequest { ProjectArn = project, VersionName = "mnist.v2", ModelPath = exported.ModelPath })).ProjectVersionArn;
        var page = await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project, MaxResults = 1 });
        Assert.That(page.ProjectVersionDescriptions.Single().ProjectVersionArn, Is.EqualTo(second), "newest first");
        var next = await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project, MaxResults = 1, NextToken = page.NextToken });
        Assert.That(next.ProjectVersionDescriptions.Single().ProjectVersionArn, Is.EqualTo(version));
        Assert.That(next.NextToken, Is.Null);
        var filtered = await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project, VersionNames = { "mnist.v1" } });
        Assert.That(filtered.ProjectVersionDescriptions.Single().ProjectVersionArn, Is.EqualTo(version));
    }

    [Test]
    public async Task BadPackagesAndNames_AreRefused()
    {
        var (store, _, project, _) = await ImportedAsync();
        await using var _ = store;
        var model = ModelPackages.WriteMnist(Path.Combine(store.Root, "bad"), m => m["labels"] = Array.Empty<string>());
        var ex = Assert.ThrowsAsync<InvalidParameterException>(() => store.Models.ImportProjectVersionAsync(new ImportProjectVersionRequest { ProjectArn = project, VersionName = "bad", ModelPath = model }));
        Assert.That(ex!.Message, Does.Contain("labels"));

        var detectionWithLogits = ModelPackages.WriteMnist(Path.Combine(store.Root, "bad2"), m => m["kind"] = "Detection");
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Models.ImportProjectVersionAsync(new ImportProjectVersionRequest { ProjectArn = project, VersionName = "bad2", ModelPath = detectionWithLogits }));

        File.WriteAllText(Path.Combine(store.Root, "bad", "model.json"), "{ not json");
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Models.ImportProjectVersionAsync(new ImportProjectVersionRequest { ProjectArn = project, VersionName = "bad3", ModelPath = model }));
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Models.ImportProjectVersionAsync(new ImportProjectVersionRequest { ProjectArn = project, VersionName = "x", ModelPath = Path.Combine(store.Root, "none.onnx") }));

        var good = ModelPackages.WriteMnist(Path.Combine(store.Root, "good"));
        Assert.ThrowsAsync<ResourceInUseException>(() => store.Models.ImportProjectVersionAsync(new ImportProjectVersionRequest { ProjectArn = project, VersionName = "mnist.v1", ModelPath = good }));
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Models.ImportProjectVersionAsync(new ImportProjectVersionRequest { ProjectArn = project, VersionName = "bad name", ModelPath = good }));
        var versions = await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project });
        Assert.That(versions.ProjectVersionDescriptions, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task DeleteProjectVersion_RemovesTheVersionAndItsArtifacts_ThenTheProjectCanGo()
    {
        var (store, _, project, version) = await ImportedAsync();
        await using var _ = store;
        Assert.ThrowsAsync<ResourceInUseException>(() => store.Client.DeleteProjectAsync(new DeleteProjectRequest { ProjectArn = project }));
        var models = Path.Combine(store.Options.StoreRoot, "models");
        Assert.That(Directory.EnumerateFiles(models, "*", SearchOption.AllDirectories), Is.Not.Empty);

        var deleted = await store.Client.DeleteProjectVersionAsync(new DeleteProjectVersionRequest { ProjectVersionArn = version });
        Assert.That(deleted.Status, Is.EqualTo(ProjectVersionStatus.DELETING));
        Assert.That((await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project })).ProjectVersionDescriptions, Is.Empty);
        Assert.That(Directory.EnumerateFiles(models, "*", SearchOption.AllDirectories), Is.Empty);
        Assert.ThrowsAsync<ResourceNotFoundException>(() => store.Client.DeleteProjectVersionAsync(new DeleteProjectVersionRequest { ProjectVersionArn = version }));
        Assert.DoesNotThrowAsync(() => store.Client.DeleteProjectAsync(new DeleteProjectRequest { ProjectArn = project }));
    }
}
