using Rekognition.Core.Feedback;
using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;
using static Rekognition.Core.Tests.Management.TrainedModels;

namespace Rekognition.Core.Tests.Management;

public class FeedbackLoopTests
{
    /// <summary>A store whose runtime records feedback around the aspect-ratio runtime.</summary>
    private static (TestStore Store, AspectRatioTrainer Trainer) RecordingStore()
    {
        var options = new OptionsHolder();
        var trainer = new AspectRatioTrainer();
        var store = new TestStore(new FeedbackRecordingRuntime(new AspectRatioRuntime(), options), trainer, o => options.Value = o);
        return (store, trainer);
    }

    [Test]
    public async Task Recording_IsAHostingDecorator_OverTheClientsOwnCatalog()
    {
        // The runtime's options name another store root: before, the runtime opened a second catalog there (and looked
        // the version up by its package folder). Now hosting gives it the version and the client's catalog.
        var options = new OptionsHolder();
        var trainer = new AspectRatioTrainer();
        var store = new TestStore(new FeedbackRecordingRuntime(new AspectRatioRuntime(), options), trainer,
            o => options.Value = new RekognitionOptions { StoreRoot = Path.Combine(Path.GetTempPath(), "rk-not-this-store", Guid.NewGuid().ToString("N")), BucketsRoot = o.BucketsRoot });
        await using var _ = store;
        var project = await ProjectAsync(store);
        var version = (await TrainAsync(store, project)).ProjectVersionArn!;
        await StartAsync(store, project, version);
        await store.Feedback.SetFeedbackRecordingAsync(version, enabled: true);

        await DetectAsync(store.Client, version, 130, 64);

        var recorded = await store.Feedback.ListFeedbackAsync(version);
        Assert.That(recorded, Has.Count.EqualTo(1), "recorded in the catalog of the client that hosts the model");
        Assert.That(Directory.Exists(options.Value.StoreRoot), Is.False, "no second catalog was opened anywhere");
    }

    [Test]
    public async Task RecordReviewAddAndRetrain_TheWholeLoop()
    {
        var (store, trainer) = RecordingStore();
        await using var _ = store;
        var client = store.Client;
        var project = await ProjectAsync(store);
        var v1 = (await TrainAsync(store, project)).ProjectVersionArn!;
        await StartAsync(store, project, v1);

        await DetectAsync(client, v1, 200, 64, minConfidence: null);
        Assert.That(await store.Feedback.ListFeedbackAsync(v1), Is.Empty, "nothing is recorded until recording is turned on");

        await store.Feedback.SetFeedbackRecordingAsync(v1, enabled: true);
        var answers = new List<List<CustomLabel>>();
        foreach (var (width, height) in new[] { (130, 64), (64, 130), (134, 66) })
        {
            answers.Add(await DetectAsync(client, v1, width, height, minConfidence: 0));
        }

        var recorded = await store.Feedback.ListFeedbackAsync(v1, FeedbackStatus.PendingReview);
        Assert.That(recorded, Has.Count.EqualTo(3));
        for (var i = 0; i < 3; i++)
        {
            Assert.That(recorded[i].Predictions.Select(p => (p.Name, p.Confidence)), Is.EqualTo(answers[i].Select(l => (l.Name!, l.Confidence))),
                "a classifier's best guesses are kept, whatever their confidence");
        }

        Assert.That(recorded[1].ImageHeight, Is.EqualTo(130));
        Assert.That(answers.Select(a => a.Count), Has.All.EqualTo(2));
        Assert.That(File.Exists(Path.Combine(store.Options.ResolvedBucketsRoot, recorded[1].ImageSourceRef["s3://".Length..])), Is.True, "the image is kept in the store");

        // The reviewer confirms the first, sets the second aside and says the third is a dog.
        var accepted = await store.Feedback.AcceptFeedbackAsync(recorded[0].Id);
        Assert.That(accepted.ReviewedLabels!.Select(l => l.Name), Is.EqualTo(new[] { answers[0][0].Name }));
        await store.Feedback.DiscardFeedbackAsync(recorded[1].Id);
        var corrected = await store.Feedback.CorrectFeedbackAsync(recorded[2].Id, new[] { new FeedbackLabel { Name = "dog" } });
        Assert.That(corrected.Status, Is.EqualTo(FeedbackStatus.Corrected));

        var train = await DatasetArnAsync(store, project);
        Assert.That(await store.Feedback.AddReviewedFeedbackToDatasetAsync(v1, train), Is.EqualTo(2));
        Assert.That((await store.WaitForDatasetAsync(train)).Status, Is.EqualTo(DatasetStatus.UPDATE_COMPLETE));
        var added = (await EntriesAsync(store, train)).Where(e => e.Contains(FeedbackRecordingRuntime.FeedbackBucket, StringComparison.Ordinal)).ToList();
        Assert.That(added, Has.Count.EqualTo(2));
        Assert.That(added.Single(e => e.Contains(Path.GetFileName(recorded[2].ImageSourceRef), StringComparison.Ordinal)), Does.Contain("s3://media/custom-labels-feedback/").And.Contain("\"class-name\":\"dog\"").And.Contain("\"human-annotated\":\"yes\""));

        // What was added is final here, and is not added twice.
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Feedback.CorrectFeedbackAsync(recorded[0].Id, new[] { new FeedbackLabel { Name = "dog" } }));
        Assert.That(await store.Feedback.AddReviewedFeedbackToDatasetAsync(v1, train), Is.EqualTo(0));

        // The next version trains on the reviewed images, with the reviewer's labels.
        var v2 = await TrainAsync(store, project, "v2");
        Assert.That(v2.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), v2.StatusMessage);
        var job = trainer.Jobs[^1];
        Assert.That(job.TrainImages, Has.Count.EqualTo(trainer.Jobs[0].TrainImages.Count + 2));
        var relabelled = job.TrainImages.Single(i => i.Path.EndsWith(Path.GetFileName(recorded[2].ImageSourceRef), StringComparison.Ordinal));
        Assert.That(job.Labels[relabelled.Labels.Single()], Is.EqualTo("dog"));

        await store.Feedback.SetFeedbackRecordingAsync(v1, enabled: false);
        await DetectAsync(client, v1, 200, 64);
        Assert.That(await store.Feedback.ListFeedbackAsync(v1), Has.Count.EqualTo(3));
    }

    [Test]
    public async Task Corrections_AreChecked_AndLeaveTheRecordAsItWas()
    {
        var (store, _) = RecordingStore();
        await using var _s = store;
        var client = store.Client;
        var project = await ProjectAsync(store);
        var v1 = (await TrainAsync(store, project)).ProjectVersionArn!;
        await StartAsync(store, project, v1);
        await store.Feedback.SetFeedbackRecordingAsync(v1, enabled: true);
        await DetectAsync(client, v1, 200, 64);
        var item = (await store.Feedback.ListFeedbackAsync(v1)).Single();

        Assert.ThrowsAsync<InvalidParameterException>(() => store.Feedback.CorrectFeedbackAsync(item.Id, Array.Empty<FeedbackLabel>()), "discard instead");
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Feedback.CorrectFeedbackAsync(item.Id, new[] { new FeedbackLabel { Name = "" } }));
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Feedback.CorrectFeedbackAsync(item.Id, new[]
        {
            new FeedbackLabel { Name = "dog", Box = new BoundingBox { Left = 0, Top = 0, Width = 1, Height = 1 } },
        }), "a classification model's labels have no boxes");
        Assert.ThrowsAsync<ResourceNotFoundException>(() => store.Feedback.AcceptFeedbackAsync(item.Id + 100));
        Assert.That((await store.Feedback.ListFeedbackAsync(v1)).Single().Status, Is.EqualTo(FeedbackStatus.PendingReview));
    }

    [Test]
    public async Task TurningRecordingOn_NeedsARecordingRuntime_AndAnExistingVersion()
    {
        await using var store = Store();
        var project = await ProjectAsync(store);
        var v1 = (await TrainAsync(store, project)).ProjectVersionArn!;

        var refused = Assert.ThrowsAsync<InvalidParameterException>(() => store.Feedback.SetFeedbackRecordingAsync(v1, enabled: true));
        Assert.That(refused!.Message, Does.Contain("FeedbackRecordingRuntime"));
        Assert.ThrowsAsync<ResourceNotFoundException>(() => store.Feedback.SetFeedbackRecordingAsync(v1.Replace("/v1/", "/v9/", StringComparison.Ordinal), enabled: false));
    }
}
