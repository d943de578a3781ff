using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core.Feedback;
using Rekognition.Core.Model;
using Rekognition.Core.Retraining;
using Rekognition.Core.Tests.TestSupport;
using static Rekognition.Core.Tests.Management.TrainedModels;

namespace Rekognition.Core.Tests.Management;

// Each trigger on its own: reviewed feedback items, the schedule (on a clock the test moves), and labelled images,
// which counts what people labelled or reviewed, never a model's unreviewed pre-labels.
public partial class RetrainingLoopTests
{
    [Test]
    public async Task ReviewedFeedbackItems_TrainOnceEnoughWereReviewed_AndGoIntoTheTrainingDataset()
    {
        var options = new OptionsHolder();
        await using var store = new TestStore(new FeedbackRecordingRuntime(new AspectRatioRuntime(), options), new AspectRatioTrainer(), o => options.Value = o);
        var project = await ProjectAsync(store);
        var v1 = (await TrainAsync(store, project, "v1")).ProjectVersionArn!;
        await StartAsync(store, project, v1);
        await store.Feedback.SetFeedbackRecordingAsync(v1, enabled: true);
        foreach (var (width, height) in new[] { (130, 64), (64, 130), (134, 66) })
        {
            await DetectAsync(store.Client, v1, width, height);
        }

        await Retraining(store).PutRetrainingPolicyAsync(new RetrainingPolicy { ProjectArn = project, AliasName = "production", MinNewFeedbackItems = 2 });
        var recorded = await store.Feedback.ListFeedbackAsync(v1, FeedbackStatus.PendingReview);
        Assert.That(recorded, Has.Count.EqualTo(3));
        Assert.That(await Retraining(store).CheckNowAsync(project), Does.StartWith("Waiting").And.Contain("0 new reviewed feedback items"), "recorded is not reviewed");

        await store.Feedback.AcceptFeedbackAsync(recorded[0].Id);
        await store.Feedback.DiscardFeedbackAsync(recorded[1].Id);
        Assert.That(await Retraining(store).CheckNowAsync(project), Does.StartWith("Waiting").And.Contain("1 new reviewed feedback items"), "a discarded item is not reviewed feedback");
        await store.Feedback.CorrectFeedbackAsync(recorded[2].Id, new[] { new FeedbackLabel { Name = "cat" } });
        Assert.That((await Retraining(store).GetRetrainingStateAsync(project))!.NewFeedbackItems, Is.EqualTo(2));

        var train = await DatasetArnAsync(store, project);
        var before = (await EntriesAsync(store, train)).Count;
        Assert.That(await Retraining(store).CheckNowAsync(project), Does.StartWith("Training auto-").And.Contain("2 new reviewed feedback items (trigger: 2)"));
        Assert.That((await EntriesAsync(store, train)).Count, Is.EqualTo(before + 2), "the two reviewed items joined the training dataset first");
        Assert.That((await store.Feedback.ListFeedbackAsync(v1)).Where(i => i.Status is FeedbackStatus.Accepted or FeedbackStatus.Corrected).Select(i => i.AddedToDatasetArn),
            Is.All.EqualTo(train));

        await store.Client.WhenIdleAsync();
        Assert.That(await Retraining(store).CheckNowAsync(project), Does.Contain("promoted"));
        Assert.That((await Retraining(store).GetRetrainingStateAsync(project))!.NewFeedbackItems, Is.Zero, "the mark moved to the training's count");
        Assert.That(await Retraining(store).CheckNowAsync(project), Does.StartWith("Waiting"));
    }

    [Test]
    public async Task TheSchedule_TrainsWhenItsTimeHasPassedSinceTheLastTraining()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero));
        await using var store = new TestStore(new AspectRatioRuntime(), new AspectRatioTrainer(), null, services => services.AddSingleton<TimeProvider>(clock));
        var project = await ProjectAsync(store);
        var v1 = (await TrainAsync(store, project, "v1")).ProjectVersionArn!;
        await store.Aliases.PutModelAliasAsync(project, "production", v1);
        await Retraining(store).PutRetrainingPolicyAsync(new RetrainingPolicy { ProjectArn = project, AliasName = "production", Schedule = TimeSpan.FromHours(6) });

        clock.Advance(TimeSpan.FromHours(6) - TimeSpan.FromSeconds(1));
        Assert.That(await Retraining(store).CheckNowAsync(project), Does.StartWith("Waiting"), "a second early");
        clock.Advance(TimeSpan.FromSeconds(1));
        var started = await Retraining(store).CheckNowAsync(project);
        Assert.That(started, Does.StartWith("Training auto-20260501-140000").And.Contain("the schedule (every 06:00:00)"));

        await store.Client.WhenIdleAsync();
        Assert.That(await Retraining(store).CheckNowAsync(project), Does.Contain("promoted"));
        Assert.That(await Retraining(store).CheckNowAsync(project), Does.StartWith("Waiting"), "the next one is 6 hours after this training");
        clock.Advance(TimeSpan.FromHours(6));
        Assert.That(await Retraining(store).CheckNowAsync(project), Does.StartWith("Training auto-20260501-200000"));
        await store.Client.WhenIdleAsync();
    }

    [Test]
    public async Task LabelledImages_CountOnlyWhatPeopleLabelledOrReviewed_NotUnreviewedPreLabels()
    {
        await using var store = Store();
        var project = await ProjectAsync(store);
        var v1 = (await TrainAsync(store, project, "v1")).ProjectVersionArn!;
        await StartAsync(store, project, v1);
        await Retraining(store).PutRetrainingPolicyAsync(new RetrainingPolicy { ProjectArn = project, AliasName = "production", MinNewLabeledImages = 2 });

        // Four new images, unlabelled, then pre-labelled by v1: labelled entries for ListDatasetEntries, not reviewed.
        var train = await DatasetArnAsync(store, project);
        var images = new[] { ("wide0", 130, 64), ("wide1", 133, 64), ("tall0", 64, 131), ("tall1", 64, 135) };
        await store.Client.UpdateDatasetEntriesAsync(new UpdateDatasetEntriesRequest
        {
            DatasetArn = train,
            Changes = new DatasetChanges
            {
                GroundTruth = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(ManifestLines.Join(images.Select(i =>
                {
                    store.PutObject("media", $"new/{i.Item1}.png", PngBuilder.Rgb(i.Item2, i.Item3));
                    return ManifestLines.Unlabelled($"s3://media/new/{i.Item1}.png");
                })))),
            },
        });
        await store.WaitForDatasetAsync(train);
        Assert.That((await store.Labeling.PreLabelDatasetAsync(train, v1, minConfidence: 0)).PreLabeled, Is.EqualTo(4));
        var stats = (await store.Client.DescribeDatasetAsync(new DescribeDatasetRequest { DatasetArn = train })).DatasetDescription!.DatasetStats!;
        Assert.That(stats.LabeledEntries, Is.EqualTo(20), "the dataset counts the pre-labelled entries as labelled");
        Assert.That((await Retraining(store).GetRetrainingStateAsync(project))!.NewLabeledImages, Is.Zero, "the trigger does not");
        Assert.That(await Retraining(store).CheckNowAsync(project), Does.StartWith("Waiting: 0 new labelled images"));

        await store.Labeling.ConfirmPreLabelsAsync(train, ["s3://media/new/wide0.png"]);
        await store.Labeling.RejectPreLabelsAsync(train, ["s3://media/new/tall1.png"]);
        Assert.That(await Retraining(store).CheckNowAsync(project), Does.StartWith("Waiting: 1 new labelled images"), "one reviewed, one sent back unlabelled");
        await store.Labeling.ConfirmPreLabelsAsync(train, ["s3://media/new/tall0.png"]);
        Assert.That(await Retraining(store).CheckNowAsync(project), Does.StartWith("Training auto-").And.Contain("2 new labelled images (trigger: 2)"));
        await store.Client.WhenIdleAsync();
        Assert.That(await Retraining(store).CheckNowAsync(project), Does.Contain("promoted"));
        Assert.That((await Retraining(store).GetRetrainingStateAsync(project))!.NewLabeledImages, Is.Zero, "wide1's pre-label, still unreviewed, is not counted after the training either");
    }
}
