using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core.Model;
using Rekognition.Core.Retraining;
using Rekognition.Core.Tests.TestSupport;
using static Rekognition.Core.Tests.Management.TrainedModels;

namespace Rekognition.Core.Tests.Management;

/// <summary>
/// The retraining loop through the library: a trigger trains a new version, which takes the alias over only when its F1
/// on the same test set is at least the current version's (the aspect-ratio trainer makes a worse one on demand).
/// </summary>
public partial class RetrainingLoopTests
{
    private static IRetrainingClient Retraining(TestStore store) => store.Services.GetRequiredService<IRetrainingClient>();

    /// <summary>Adds <paramref name="count"/> images of <paramref name="width"/> x <paramref name="height"/> labelled <paramref name="label"/> to a dataset.</summary>
    private static async Task AddImagesAsync(TestStore store, string datasetArn, string folder, string label, int count, int width, int height)
    {
        var lines = new List<string>();
        for (var i = 0; i < count; i++)
        {
            store.PutObject("media", $"{folder}/{label}{i}.png", PngBuilder.Rgb(width + i, height));
            lines.Add(ManifestLines.Classification($"s3://media/{folder}/{label}{i}.png", label));
        }

        await store.Client.UpdateDatasetEntriesAsync(new UpdateDatasetEntriesRequest
        {
            DatasetArn = datasetArn,
            Changes = new DatasetChanges { GroundTruth = new MemoryStream(Encoding.UTF8.GetBytes(ManifestLines.Join(lines))) },
        });
        Assert.That((await store.WaitForDatasetAsync(datasetArn)).Status, Is.EqualTo(DatasetStatus.UPDATE_COMPLETE));
    }

    [Test]
    public async Task NewLabeledImages_TrainAVersion_ThatTakesTheRunningAliasOver_WhenItsF1IsAtLeastTheCurrent()
    {
        await using var store = Store();
        var project = await ProjectAsync(store);
        var v1 = (await TrainAsync(store, project, "v1")).ProjectVersionArn!;
        await StartAsync(store, project, v1);
        await store.Aliases.PutModelAliasAsync(project, "production", v1);
        await Retraining(store).PutRetrainingPolicyAsync(new RetrainingPolicy { ProjectArn = project, AliasName = "production", MinNewLabeledImages = 4 });

        Assert.That(await Retraining(store).CheckNowAsync(project), Does.StartWith("Waiting: 0 new labelled images"));
        await AddImagesAsync(store, await DatasetArnAsync(store, project), "more", "cat", 4, 140, 64);
        Assert.That((await Retraining(store).GetRetrainingStateAsync(project))!.NewLabeledImages, Is.EqualTo(4));

        var started = await Retraining(store).CheckNowAsync(project);
        Assert.That(started, Does.StartWith("Training auto-").And.Contain("4 new labelled images"));
        var training = (await Retraining(store).GetRetrainingStateAsync(project))!.TrainingVersionArn!;
        var second = await Retraining(store).CheckNowAsync(project);
        Assert.That(second, Does.StartWith("Training auto-").Or.Contain("promoted"), "a second check does not train again");
        await store.Client.WhenIdleAsync();

        // The training may have ended before the second check (it is claimed at once), which then decided.
        var decided = second.StartsWith("Training auto-", StringComparison.Ordinal) ? await Retraining(store).CheckNowAsync(project) : second;
        Assert.That(decided, Does.Contain("promoted:").And.Not.Contain("not promoted"));
        Assert.That(await store.Aliases.GetModelAliasAsync(project, "production"), Is.EqualTo(training));
        Assert.That((await DescribeAsync(store, project, training)).Status, Is.EqualTo(ProjectVersionStatus.RUNNING), "the running alias moved without downtime");
        Assert.That((await DescribeAsync(store, project, v1)).Status, Is.EqualTo(ProjectVersionStatus.STOPPED));

        var decision = (await Retraining(store).ListPromotionsAsync(project)).Single();
        Assert.That(decision.Promoted, Is.True);
        Assert.That(decision.PreviousVersionArn, Is.EqualTo(v1));
        Assert.That(decision.CandidateVersionArn, Is.EqualTo(training));
        Assert.That(decision.Metric, Is.EqualTo("F1"));
        Assert.That(decision.CandidateScore, Is.GreaterThanOrEqualTo(decision.PreviousScore!.Value));
        var state = (await Retraining(store).GetRetrainingStateAsync(project))!;
        Assert.That(state.TrainingVersionArn, Is.Null);
        Assert.That(state.NewLabeledImages, Is.Zero, "the marks moved to the training's counts");
        Assert.That(await Retraining(store).CheckNowAsync(project), Does.StartWith("Waiting"));
    }

    [Test]
    public async Task AWorseVersion_LeavesTheAliasWhereItWas_AndTheDecisionIsKept()
    {
        await using var store = Store();
        var project = await ProjectAsync(store);
        var v1 = (await TrainAsync(store, project, "v1")).ProjectVersionArn!;
        await store.Aliases.PutModelAliasAsync(project, "production", v1);
        await Retraining(store).PutRetrainingPolicyAsync(new RetrainingPolicy { ProjectArn = project, AliasName = "production", MinNewLabeledImages = 10 });

        // Very wide images labelled "dog" pull the dog centroid past the cats': the next version mistakes dogs.
        await AddImagesAsync(store, await DatasetArnAsync(store, project), "wrong", "dog", 20, 320, 64);
        Assert.That(await Retraining(store).CheckNowAsync(project), Does.StartWith("Training auto-"));
        await store.Client.WhenIdleAsync();
        var outcome = await Retraining(store).CheckNowAsync(project);

        Assert.That(outcome, Does.Contain("not promoted").And.Contain("below the current version's"));
        Assert.That(await store.Aliases.GetModelAliasAsync(project, "production"), Is.EqualTo(v1));
        var decision = (await Retraining(store).ListPromotionsAsync(project)).Single();
        Assert.That(decision.Promoted, Is.False);
        Assert.That(decision.CandidateScore, Is.LessThan(decision.PreviousScore!.Value));
        Assert.That((await Retraining(store).GetRetrainingStateAsync(project))!.LastOutcome, Does.Contain("not promoted"));
    }

    [Test]
    public async Task APolicyIsChecked_AndADisabledOneDoesNotTrain()
    {
        await using var store = Store();
        var project = await ProjectAsync(store);
        await TrainAsync(store, project, "v1");
        var retraining = Retraining(store);
        Assert.ThrowsAsync<InvalidParameterException>(() => retraining.PutRetrainingPolicyAsync(new RetrainingPolicy { ProjectArn = project, AliasName = "production" }), "no trigger");
        Assert.ThrowsAsync<InvalidParameterException>(() => retraining.PutRetrainingPolicyAsync(new RetrainingPolicy { ProjectArn = project, AliasName = "bad name!", MinNewLabeledImages = 1 }));
        Assert.ThrowsAsync<InvalidParameterException>(() => retraining.PutRetrainingPolicyAsync(new RetrainingPolicy { ProjectArn = project, AliasName = "production", MinNewLabeledImages = 0 }));
        Assert.ThrowsAsync<InvalidParameterException>(() => retraining.PutRetrainingPolicyAsync(new RetrainingPolicy { ProjectArn = project, AliasName = "production", Schedule = TimeSpan.FromSeconds(1) }));
        Assert.ThrowsAsync<ResourceNotFoundException>(() => retraining.PutRetrainingPolicyAsync(new RetrainingPolicy
        {
            ProjectArn = project.Replace("project/pets", "project/none", StringComparison.Ordinal), AliasName = "production", MinNewLabeledImages = 1,
        }));
        Assert.That(await retraining.GetRetrainingStateAsync(project), Is.Null);

        await retraining.PutRetrainingPolicyAsync(new RetrainingPolicy { ProjectArn = project, AliasName = "production", MinNewLabeledImages = 1, Enabled = false });
        await AddImagesAsync(store, await DatasetArnAsync(store, project), "more", "cat", 2, 140, 64);
        Assert.That(await retraining.CheckNowAsync(project), Is.EqualTo("The policy is disabled."));
        var versions = await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project });
        Assert.That(versions.ProjectVersionDescriptions, Has.Count.EqualTo(1));
        Assert.That((await retraining.GetRetrainingStateAsync(project))!.Policy.Enabled, Is.False);
    }
}
