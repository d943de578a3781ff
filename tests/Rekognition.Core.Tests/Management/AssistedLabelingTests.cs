using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;
using static Rekognition.Core.Tests.Management.TrainedModels;

namespace Rekognition.Core.Tests.Management;

public class AssistedLabelingTests
{
    private static async Task AddUnlabeledAsync(TestStore store, string dataset, params (string Name, int Width, int Height)[] images)
    {
        var lines = images.Select(i =>
        {
            store.PutObject("media", $"new/{i.Name}.png", PngBuilder.Rgb(i.Width, i.Height));
            return ManifestLines.Unlabelled($"s3://media/new/{i.Name}.png");
        });
        await store.Client.UpdateDatasetEntriesAsync(new UpdateDatasetEntriesRequest
        {
            DatasetArn = dataset,
            Changes = new DatasetChanges { GroundTruth = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(ManifestLines.Join(lines))) },
        });
        Assert.That((await store.WaitForDatasetAsync(dataset)).Status, Is.EqualTo(DatasetStatus.UPDATE_COMPLETE));
    }

    private static async Task<List<string>> UnlabeledAsync(TestStore store, string dataset) =>
        (await store.Client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = dataset, Labeled = false })).DatasetEntries;

    [Test]
    public async Task PreLabel_ThenConfirmAndReject()
    {
        await using var store = Store();
        var client = store.Client;
        var project = await ProjectAsync(store);
        var v1 = (await TrainAsync(store, project)).ProjectVersionArn!;
        await StartAsync(store, project, v1);
        var train = await DatasetArnAsync(store, project);
        await AddUnlabeledAsync(store, train, ("wide0", 130, 64), ("wide1", 133, 64), ("tall0", 64, 131), ("square", 64, 64));

        var result = await store.Labeling.PreLabelDatasetAsync(train, v1, minConfidence: 90);
        Assert.That(result, Is.EqualTo(new Labeling.PreLabelResult(PreLabeled: 3, WithoutSuggestion: 1)));

        var suggested = await store.Labeling.ListPreLabeledEntriesAsync(train);
        Assert.That(suggested.Select(e => e.SourceRef), Is.EquivalentTo(new[] { "s3://media/new/wide0.png", "s3://media/new/wide1.png", "s3://media/new/tall0.png" }));
        var wide = suggested.Single(e => e.SourceRef.EndsWith("wide0.png", StringComparison.Ordinal)).Line;
        Assert.That(wide, Does.Contain("\"class-name\":\"cat\"").And.Contain("\"human-annotated\":\"no\"").And.Contain(PreLabelJob));
        using (var parsed = System.Text.Json.JsonDocument.Parse(wide))
        {
            var confidence = parsed.RootElement.GetProperty("assisted-label-metadata").GetProperty("confidence").GetDouble();
            Assert.That(confidence, Is.InRange(0.9, 1.0), "the model's confidence is kept");
        }

        Assert.That(await UnlabeledAsync(store, train), Has.Count.EqualTo(1), "only the image without a suggestion stays unlabeled");

        // Reviewing something that is not waiting for review changes nothing.
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Labeling.ConfirmPreLabelsAsync(train, new[] { "s3://media/new/wide0.png", "s3://media/pets-train/cat0.png" }));
        Assert.That(await store.Labeling.ListPreLabeledEntriesAsync(train), Has.Count.EqualTo(3));

        await store.Labeling.ConfirmPreLabelsAsync(train, new[] { "s3://media/new/wide0.png", "s3://media/new/tall0.png" });
        await store.Labeling.RejectPreLabelsAsync(train, new[] { "s3://media/new/wide1.png" });

        Assert.That(await store.Labeling.ListPreLabeledEntriesAsync(train), Is.Empty);
        var unlabeled = await UnlabeledAsync(store, train);
        Assert.That(unlabeled, Has.Count.EqualTo(2));
        Assert.That(unlabeled, Has.Some.Contains("wide1.png"), "a rejected image is unlabeled again");
        var confirmed = (await client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = train, SourceRefContains = "tall0" })).DatasetEntries.Single();
        Assert.That(confirmed, Does.Contain("\"class-name\":\"dog\"").And.Contain("\"human-annotated\":\"yes\"").And.Not.Contain("\"human-annotated\":\"no\""));
    }

    [Test]
    public async Task PreLabel_NeedsARunningVersion()
    {
        await using var store = Store();
        var project = await ProjectAsync(store);
        var v1 = (await TrainAsync(store, project)).ProjectVersionArn!;
        var train = await DatasetArnAsync(store, project);

        var error = Assert.ThrowsAsync<ResourceNotReadyException>(() => store.Labeling.PreLabelDatasetAsync(train, v1));
        Assert.That(error!.Message, Does.Contain("TRAINING_COMPLETED").And.Contain("StartProjectVersion"));
    }

    private const string PreLabelJob = "custom-labels-assisted-labeling";
}
