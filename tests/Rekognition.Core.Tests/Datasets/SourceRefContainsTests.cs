using System.Text;
using System.Text.Json;
using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Datasets;

/// <summary>
/// SourceRefContains is an ordinal (case-sensitive) substring test on every catalog provider, whether the part is long
/// enough for the trigram index or checked by the plain scan, and it stays so after entries are replaced, added,
/// deleted and moved. The expected pages come from the unfiltered listing, which no index answers. The suite also runs
/// on PostgreSQL (Rekognition.PostgreSql.Tests compiles it again), so both providers are held to the same answers.
/// </summary>
public class SourceRefContainsTests
{
    private static readonly string[] SourceRefs =
    [
        "s3://media/pets/cat_001.jpg",
        "s3://media/pets/CAT_002.JPG",
        "s3://media/pets/dog_001.jpg",
        "s3://media/pets/100%_dog.jpg",
        "s3://media/pets/100x_dog.jpg",
        "s3://media/pets/under_score.jpg",
        "s3://media/pets/underXscore.jpg",
        "s3://media/pets/it's quoted.jpg",
        "s3://media/pets/say \"cheese\".jpg",
        "s3://media/pets/café_crème.jpg",
        "s3://media/pets/CAFÉ_CRÈME.jpg",
        "s3://media/pets/日本の猫.jpg",
        "s3://media/pets/smile😀cat.jpg",
        "s3://media/pets/[draft]*what?.jpg",
        "s3://media/pets/draft_what.jpg",
        "s3://media/other/cat_001.png",
    ];

    private static readonly string[] Parts =
    [
        "c", "ca", "cat", "CAT", "Cat", "jpg", "JPG", ".jpg", "cat_00", "cat_001.jpg", "pets/cat_001.jpg",
        "%", "0%", "100%_", "_", "r_s", "under_score", "x_d", "'", "it's", "\"", "\"cheese\"", "\\", "k\\s",
        "é", "café", "CAFÉ", "afé_cr", "日本", "日本の猫", "の猫.", "😀", "e😀c", "smile😀cat",
        "[", "]", "*", "?", "[draft]", "]*w", "t]*what?", "*what?.", "a", "no such image", "s3://media/",
        "3://m", "dia/pe", "a/pets/c", "//media/pets/100%_", "media/pets/under_s",
    ];

    private static TestStore NewStore() => new(o => o.CheckImages = false);

    private static string Line(string sourceRef, string label) =>
        $$$"""{"source-ref":{{{JsonSerializer.Serialize(sourceRef)}}},"l":0,"l-metadata":{"confidence":1,"job-name":"labeling-job/l","class-name":"{{{label}}}","human-annotated":"yes","creation-date":"2024-05-02T08:15:30.125","type":"groundtruth/image-classification"}}""";

    private static string Manifest(IEnumerable<string> sourceRefs, string label) => string.Join("\n", sourceRefs.Select(r => Line(r, label))) + "\n";

    private static async Task<string> ImportAsync(TestStore store, string project, DatasetType type, string key, string manifest)
    {
        store.PutObject("media", key, manifest);
        var arn = (await store.Client.CreateDatasetAsync(new CreateDatasetRequest
        {
            ProjectArn = project,
            DatasetType = type,
            DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = "media", Name = key } } },
        })).DatasetArn!;
        var description = await store.WaitForDatasetAsync(arn);
        Assert.That(description.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE), description.StatusMessage);
        return arn;
    }

    // Every page (three entries a page, so the pages' row-id bounds are exercised too), as source-refs.
    private static async Task<List<string>> ListAsync(TestStore store, string dataset, string? part, bool? labeled = null)
    {
        var request = new ListDatasetEntriesRequest { DatasetArn = dataset, SourceRefContains = part, Labeled = labeled, MaxResults = 3 };
        var refs = new List<string>();
        do
        {
            var page = await store.Client.ListDatasetEntriesAsync(request);
            refs.AddRange(page.DatasetEntries.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("source-ref").GetString()!));
            request.NextToken = page.NextToken;
        }
        while (request.NextToken is not null);

        return refs;
    }

    private static async Task AssertEveryPartAsync(TestStore store, string dataset)
    {
        var all = await ListAsync(store, dataset, null);
        foreach (var part in Parts)
        {
            var expected = all.Where(r => r.Contains(part, StringComparison.Ordinal)).ToList();
            Assert.That(await ListAsync(store, dataset, part), Is.EqualTo(expected), $"SourceRefContains = {part}");
        }
    }

    [Test]
    public async Task SourceRefContains_IsAnOrdinalSubstringTest_ForShortPartsAndSpecialCharacters()
    {
        await using var store = NewStore();
        var project = await store.CreateProjectAsync();
        var train = await ImportAsync(store, project, DatasetType.TRAIN, "train.manifest", Manifest(SourceRefs, "pet"));

        Assert.That(await ListAsync(store, train, null), Is.EqualTo(SourceRefs), "every entry, in import order");
        await AssertEveryPartAsync(store, train);
        Assert.Multiple(async () =>
        {
            Assert.That(await ListAsync(store, train, "%"), Is.EqualTo(new[] { "s3://media/pets/100%_dog.jpg" }), "% is a character, not a wildcard");
            Assert.That(await ListAsync(store, train, "r_s"), Is.EqualTo(new[] { "s3://media/pets/under_score.jpg" }), "_ is a character, not a wildcard");
            Assert.That(await ListAsync(store, train, "CAT"), Is.EqualTo(new[] { "s3://media/pets/CAT_002.JPG" }), "case-sensitive");
            Assert.That(await ListAsync(store, train, "*what?."), Is.EqualTo(new[] { "s3://media/pets/[draft]*what?.jpg" }), "GLOB characters are characters");
        });
    }

    [Test]
    public async Task SourceRefContains_FollowsEntriesThatAreReplacedAddedDeletedAndMoved()
    {
        await using var store = NewStore();
        var project = await store.CreateProjectAsync();
        var train = await ImportAsync(store, project, DatasetType.TRAIN, "train.manifest", Manifest(SourceRefs.Take(12), "pet"));

        // A dataset made and deleted: its rows had the highest ids, which the next rows written may take again.
        var test = await ImportAsync(store, project, DatasetType.TEST, "test.manifest", Manifest(SourceRefs.Skip(12).Select(r => r + ".old"), "old"));
        await store.Client.DeleteDatasetAsync(new DeleteDatasetRequest { DatasetArn = test });

        // Replaced (unlabelled now) and added entries.
        var changes = Manifest(SourceRefs.Skip(12), "pet") + string.Join("\n", SourceRefs.Take(3).Select(r => $$"""{"source-ref":{{JsonSerializer.Serialize(r)}}}""")) + "\n";
        await store.Client.UpdateDatasetEntriesAsync(new UpdateDatasetEntriesRequest
        {
            DatasetArn = train,
            Changes = new DatasetChanges { GroundTruth = new MemoryStream(Encoding.UTF8.GetBytes(changes)) },
        });
        Assert.That((await store.WaitForDatasetAsync(train)).Status, Is.EqualTo(DatasetStatus.UPDATE_COMPLETE));
        Assert.That(await ListAsync(store, train, null), Is.EquivalentTo(SourceRefs));
        Assert.That(await ListAsync(store, train, ".old"), Is.Empty, "the deleted dataset's rows are gone from the index");
        Assert.That(await ListAsync(store, train, "cat_00", labeled: false), Is.EqualTo(new[] { "s3://media/pets/cat_001.jpg" }), "with another filter");
        await AssertEveryPartAsync(store, train);

        // Moved: a share of the entries goes to a new test dataset.
        test = (await store.Client.CreateDatasetAsync(new CreateDatasetRequest { ProjectArn = project, DatasetType = DatasetType.TEST })).DatasetArn!;
        await store.WaitForDatasetAsync(test);
        await store.Client.DistributeDatasetEntriesAsync(new DistributeDatasetEntriesRequest
        {
            Datasets = { new DistributeDataset { Arn = train }, new DistributeDataset { Arn = test } },
        });
        await store.WaitForDatasetAsync(train);
        await store.WaitForDatasetAsync(test);
        var moved = await ListAsync(store, test, null);
        Assert.That(moved, Is.Not.Empty);
        Assert.That((await ListAsync(store, train, null)).Concat(moved), Is.EquivalentTo(SourceRefs));
        await AssertEveryPartAsync(store, train);
        await AssertEveryPartAsync(store, test);
    }
}
