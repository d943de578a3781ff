using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;
using static Rekognition.Core.Tests.Management.TrainedModels;

namespace Rekognition.Core.Tests.Management;

public class CopyProjectVersionTests
{
    private const string ProdAccount = "210987654321";
    private static readonly OutputConfig CopyOutput = new() { S3Bucket = "prod-artifacts", S3KeyPrefix = "copies/" };

    private static CopyProjectVersionRequest Request(string sourceProject, string sourceVersion, string destinationProject, string name = "v1-copy") => new()
    {
        SourceProjectArn = sourceProject,
        SourceProjectVersionArn = sourceVersion,
        DestinationProjectArn = destinationProject,
        VersionName = name,
        OutputConfig = CopyOutput,
        Tags = { ["promoted-from"] = "dev" },
    };

    private static string Policy(string effect, string principal, string resource) =>
        $$"""
        {"Version":"2012-10-17","Statement":[{"Effect":"{{effect}}","Principal":{"AWS":"{{principal}}"},"Action":"rekognition:CopyProjectVersion","Resource":"{{resource}}"}]}
        """;

    private static Task PutPolicyAsync(TestStore store, string project, string name, string document) =>
        store.Client.PutProjectPolicyAsync(new PutProjectPolicyRequest { ProjectArn = project, PolicyName = name, PolicyDocument = document });

    [Test]
    public async Task CopyInTheSameProject_CarriesTheModelAndItsResults_NotTheDatasets()
    {
        await using var store = Store();
        var project = await ProjectAsync(store);
        var source = await TrainAsync(store, project);
        Assert.That(source.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), source.StatusMessage);

        var arn = (await store.Client.CopyProjectVersionAsync(Request(project, source.ProjectVersionArn!, project))).ProjectVersionArn!;
        Assert.That(arn, Does.Match(@"^arn:aws:rekognition:us-east-1:123456789012:project/pets/version/v1-copy/[0-9]+$"));
        var copy = await DescribeAsync(store, project, arn);

        Assert.Multiple(() =>
        {
            Assert.That(copy.Status, Is.EqualTo(ProjectVersionStatus.COPYING_COMPLETED), copy.StatusMessage);
            Assert.That(copy.SourceProjectVersionArn, Is.EqualTo(source.ProjectVersionArn));
            Assert.That(copy.OutputConfig!.S3Bucket, Is.EqualTo("prod-artifacts"));
            Assert.That(copy.EvaluationResult!.F1Score, Is.EqualTo(source.EvaluationResult!.F1Score));
            Assert.That(copy.EvaluationResult.Summary!.S3Object!.Bucket, Is.EqualTo("prod-artifacts"));
            Assert.That(copy.EvaluationResult.Summary.S3Object.Name, Is.EqualTo("copies/v1-copy/EvaluationSummary-pets-v1.json"));
            Assert.That(copy.ManifestSummary!.S3Object!.Name, Is.EqualTo("copies/v1-copy/manifest_summary.json"));
            Assert.That(copy.TrainingDataResult, Is.Null, "the datasets are not copied");
            Assert.That(copy.TestingDataResult!.Input, Is.Null);
            Assert.That(copy.BillableTrainingTimeInSeconds, Is.Null, "a copy is not a training");
        });
        foreach (var location in new[] { copy.EvaluationResult!.Summary!.S3Object!, copy.ManifestSummary!.S3Object!, copy.TestingDataResult!.Output!.Assets[0].GroundTruthManifest!.S3Object! })
        {
            Assert.That(File.ReadAllBytes(store.LocalPath(location)), Is.Not.Empty, location.Name);
        }

        var tags = await store.Client.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = arn });
        Assert.That(tags.Tags, Is.EqualTo(new Dictionary<string, string> { ["promoted-from"] = "dev" }));
    }

    [Test]
    public async Task CopyToAnotherProject_StartsAndDetectsLikeTheSource()
    {
        await using var store = Store();
        var project = await ProjectAsync(store);
        var source = await TrainAsync(store, project);
        var prod = await store.CreateProjectAsync("pets-prod");

        var arn = (await store.Client.CopyProjectVersionAsync(Request(project, source.ProjectVersionArn!, prod, "v1"))).ProjectVersionArn!;
        var copy = await DescribeAsync(store, prod, arn);
        Assert.That(copy.Status, Is.EqualTo(ProjectVersionStatus.COPYING_COMPLETED), copy.StatusMessage);

        await StartAsync(store, project, source.ProjectVersionArn!);
        await StartAsync(store, prod, arn);
        foreach (var (width, height, expected) in new[] { (200, 64, "cat"), (64, 200, "dog") })
        {
            var fromSource = await DetectAsync(store.Client, source.ProjectVersionArn!, width, height);
            var fromCopy = await DetectAsync(store.Client, arn, width, height);
            Assert.That(fromCopy.Select(l => (l.Name, l.Confidence)), Is.EqualTo(fromSource.Select(l => (l.Name, l.Confidence))));
            Assert.That(fromCopy[0].Name, Is.EqualTo(expected));
        }

        // Deleting the source leaves the copy whole: it has its own package.
        await store.Client.StopProjectVersionAsync(new StopProjectVersionRequest { ProjectVersionArn = source.ProjectVersionArn });
        await store.Client.WhenIdleAsync();
        await store.Client.DeleteProjectVersionAsync(new DeleteProjectVersionRequest { ProjectVersionArn = source.ProjectVersionArn });
        Assert.That((await DetectAsync(store.Client, arn, 200, 64))[0].Name, Is.EqualTo("cat"));
    }

    [Test]
    public async Task CopyFromAnotherAccount_AllowedByAProjectPolicy()
    {
        await using var dev = Store();
        await using var prod = Store(ProdAccount);
        var project = await ProjectAsync(dev);
        var source = await TrainAsync(dev, project);
        var destination = await prod.CreateProjectAsync("pets-prod");
        var request = Request(project, source.ProjectVersionArn!, destination);

        // Without a policy the other account may not copy.
        var denied = Assert.ThrowsAsync<AccessDeniedException>(() => prod.Models.CopyProjectVersionFromStoreAsync(request, dev.Client));
        Assert.That(denied!.Message, Does.Contain($"arn:aws:iam::{ProdAccount}:root").And.Contain("PutProjectPolicy"));
        Assert.That(denied.ErrorCode, Is.EqualTo("AccessDeniedException"));

        // A policy for some other account does not help.
        await PutPolicyAsync(dev, project, "other", Policy("Allow", "arn:aws:iam::111122223333:root", "arn:aws:rekognition:us-east-1:123456789012:project/pets/version/*"));
        Assert.ThrowsAsync<AccessDeniedException>(() => prod.Models.CopyProjectVersionFromStoreAsync(request, dev.Client));

        await PutPolicyAsync(dev, project, "prod", Policy("Allow", $"arn:aws:iam::{ProdAccount}:root", "arn:aws:rekognition:us-east-1:123456789012:project/pets/version/*"));
        var arn = (await prod.Models.CopyProjectVersionFromStoreAsync(request, dev.Client)).ProjectVersionArn!;
        Assert.That(arn, Does.StartWith($"arn:aws:rekognition:us-east-1:{ProdAccount}:project/pets-prod/version/v1-copy/"));
        var copy = await DescribeAsync(prod, destination, arn);
        Assert.That(copy.Status, Is.EqualTo(ProjectVersionStatus.COPYING_COMPLETED), copy.StatusMessage);
        Assert.That(File.Exists(prod.LocalPath(copy.EvaluationResult!.Summary!.S3Object!)), Is.True, "results land in the destination's buckets");

        await StartAsync(prod, destination, arn);
        Assert.That((await DetectAsync(prod.Client, arn, 64, 200))[0].Name, Is.EqualTo("dog"));

        // The plain call cannot reach another account's store, and says how to.
        var unreachable = Assert.ThrowsAsync<ResourceNotFoundException>(() => prod.Client.CopyProjectVersionAsync(Request(project, source.ProjectVersionArn!, destination, "v2")));
        Assert.That(unreachable!.Message, Does.Contain("source store"));
    }

    [Test]
    public async Task AnExplicitDeny_WinsOverAllow_AndRefusesSameAccountCopies()
    {
        await using var dev = Store();
        await using var prod = Store(ProdAccount);
        var project = await ProjectAsync(dev);
        var source = await TrainAsync(dev, project);
        var destination = await prod.CreateProjectAsync("pets-prod");
        await PutPolicyAsync(dev, project, "allow-all", Policy("Allow", "*", "*"));
        await PutPolicyAsync(dev, project, "deny-v1", Policy("Deny", "*", source.ProjectVersionArn!));

        var crossAccount = Assert.ThrowsAsync<AccessDeniedException>(() => prod.Models.CopyProjectVersionFromStoreAsync(Request(project, source.ProjectVersionArn!, destination), dev.Client));
        Assert.That(crossAccount!.Message, Does.Contain("explicitly denies"));
        Assert.ThrowsAsync<AccessDeniedException>(() => dev.Client.CopyProjectVersionAsync(Request(project, source.ProjectVersionArn!, project)));

        var versions = await prod.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = destination });
        Assert.That(versions.ProjectVersionDescriptions, Is.Empty, "a refused copy creates nothing");
    }

    [Test]
    public async Task SixthConcurrentCopy_IsOverTheQuota_AndCopiesOfEndedProcessesFreeTheirSlots()
    {
        await using var store = Store();
        var project = await ProjectAsync(store);
        var source = await TrainAsync(store, project);
        var prod = await store.CreateProjectAsync("pets-prod");

        // Five copies still running on another host, written as a copy writes them.
        var catalog = store.Services.GetRequiredService<ICatalog>();
        var versions = catalog.Versions;
        var prodId = catalog.Projects.FindByArn(prod)!.Id;
        for (var i = 0; i < 5; i++)
        {
            // Copies another host runs: each with its job, held under a live lease.
            var copyArn = prod.Replace("/pets-prod/", "/pets-prod/version/running" + i + "/", StringComparison.Ordinal);
            using var transaction = catalog.BeginTransaction();
            var outcome = versions.TryInsertCopy(transaction, prodId, $"running{i}", copyArn, i, "The model is being copied.", new ProjectVersionDetails(), 5);
            Assert.That(outcome, Is.EqualTo(CopyInsertOutcome.Inserted));
            catalog.Jobs.Enqueue(transaction, JobKind.CopyVersion, copyArn, "{}", i, "another-host", long.MaxValue);
            transaction.Commit();
        }

        var limit = Assert.ThrowsAsync<LimitExceededException>(() => store.Client.CopyProjectVersionAsync(Request(project, source.ProjectVersionArn!, prod)));
        Assert.That(limit!.Message, Does.Contain("5 copies"));
        Assert.That(await store.Client.CopyProjectVersionAsync(Request(project, source.ProjectVersionArn!, project)), Is.Not.Null, "the quota is per destination project");

        // The host that ran them ended: its leases lapse, this host takes the jobs over and fails the copies, and the next copy goes ahead.
        Assert.That(store.ExecuteCatalogSql("UPDATE jobs SET lease_until_ms = 1 WHERE owner = 'another-host'"), Is.EqualTo(5));

        await store.Client.WhenIdleAsync();

        var arn = (await store.Client.CopyProjectVersionAsync(Request(project, source.ProjectVersionArn!, prod))).ProjectVersionArn!;
        Assert.That((await DescribeAsync(store, prod, arn)).Status, Is.EqualTo(ProjectVersionStatus.COPYING_COMPLETED));
        var left = await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = prod, VersionNames = { "running0" } });
        Assert.That(left.ProjectVersionDescriptions.Single().Status, Is.EqualTo(ProjectVersionStatus.COPYING_FAILED));
        Assert.That(left.ProjectVersionDescriptions.Single().StatusMessage, Does.StartWith("The copy stopped because the process running it ended."));
    }

    [Test]
    public async Task ATakenName_AFailedSource_AndMismatchedArns_AreRefused()
    {
        await using var store = Store();
        var project = await ProjectAsync(store);
        var source = await TrainAsync(store, project);
        var broken = await ProjectAsync(store, "broken", dogs: 0);
        var failed = await TrainAsync(store, broken);
        Assert.That(failed.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_FAILED));
        var client = store.Client;

        var taken = Assert.ThrowsAsync<ResourceInUseException>(() => client.CopyProjectVersionAsync(Request(project, source.ProjectVersionArn!, project, "v1")));
        Assert.That(taken!.Message, Does.Contain("'v1'"));
        var notTrained = Assert.ThrowsAsync<InvalidParameterException>(() => client.CopyProjectVersionAsync(Request(broken, failed.ProjectVersionArn!, project)));
        Assert.That(notTrained!.Message, Does.Contain("TRAINING_FAILED"));
        Assert.ThrowsAsync<InvalidParameterException>(() => client.CopyProjectVersionAsync(Request(broken, source.ProjectVersionArn!, project)), "the version is not the source project's");
        Assert.ThrowsAsync<InvalidParameterException>(() => client.CopyProjectVersionAsync(Request(project, source.ProjectVersionArn!, project.Replace("us-east-1", "eu-west-1", StringComparison.Ordinal))), "same region only");
        var noOutput = Request(project, source.ProjectVersionArn!, project);
        noOutput.OutputConfig = null;
        Assert.ThrowsAsync<InvalidParameterException>(() => client.CopyProjectVersionAsync(noOutput));
        Assert.ThrowsAsync<ResourceNotFoundException>(() => client.CopyProjectVersionAsync(Request(project, source.ProjectVersionArn!.Replace("/v1/", "/v9/", StringComparison.Ordinal), project)));

        var versions = await client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project });
        Assert.That(versions.ProjectVersionDescriptions.Select(v => v.ProjectVersionArn), Is.EqualTo(new[] { source.ProjectVersionArn }), "nothing was created or lost");
    }

    [Test]
    public async Task CopyingAModelStillTraining_IsResourceInUse_AnErrorCopyProjectVersionModels()
    {
        await using var store = Store();
        var trainer = (AspectRatioTrainer)store.Trainer!;
        trainer.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var project = await ProjectAsync(store);
        var training = (await store.Client.CreateProjectVersionAsync(new CreateProjectVersionRequest { ProjectArn = project, VersionName = "v1", OutputConfig = Output })).ProjectVersionArn!;

        var busy = Assert.ThrowsAsync<ResourceInUseException>(() => store.Client.CopyProjectVersionAsync(Request(project, training, project)));
        Assert.That(busy!.Message, Does.Contain("TRAINING_IN_PROGRESS"));

        trainer.Gate.SetResult();
        Assert.That((await DescribeAsync(store, project, training)).Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED));
    }

    [Test]
    public async Task ACopyWhoseSourcePackageIsGone_EndsCopyingFailed()
    {
        await using var store = Store();
        var project = await ProjectAsync(store);
        var source = await TrainAsync(store, project);
        foreach (var model in Directory.EnumerateFiles(Path.Combine(store.Options.StoreRoot, "models"), "model.onnx", SearchOption.AllDirectories))
        {
            File.Delete(model);
        }

        var arn = (await store.Client.CopyProjectVersionAsync(Request(project, source.ProjectVersionArn!, project))).ProjectVersionArn!;
        var copy = await DescribeAsync(store, project, arn);
        Assert.That(copy.Status, Is.EqualTo(ProjectVersionStatus.COPYING_FAILED));
        Assert.That(copy.StatusMessage, Does.StartWith("The model could not be copied:").And.Contain("model.onnx"));
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = arn, MinInferenceUnits = 1 }));
    }
}
