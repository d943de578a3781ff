using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Tagging;

public class TagOperationsTests
{
    [Test]
    public async Task Tags_AreAddedOverwrittenListedAndRemoved()
    {
        await using var store = new TestStore();
        var arn = (await store.Client.CreateProjectAsync(new CreateProjectRequest { ProjectName = "tagged", Tags = { ["team"] = "vision" } })).ProjectArn!;

        await store.Client.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = { ["team"] = "qa", ["cost-center"] = "4711" } });
        var tags = (await store.Client.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = arn })).Tags;
        Assert.That(tags, Is.EqualTo(new Dictionary<string, string> { ["team"] = "qa", ["cost-center"] = "4711" }));

        await store.Client.UntagResourceAsync(new UntagResourceRequest { ResourceArn = arn, TagKeys = { "team", "absent" } });
        tags = (await store.Client.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = arn })).Tags;
        Assert.That(tags, Is.EqualTo(new Dictionary<string, string> { ["cost-center"] = "4711" }));
    }

    [Test]
    public async Task Datasets_CanBeTagged()
    {
        await using var store = new TestStore();
        var project = await store.CreateProjectAsync();
        var dataset = (await store.Client.CreateDatasetAsync(new CreateDatasetRequest
        {
            ProjectArn = project, DatasetType = DatasetType.TEST, Tags = { ["stage"] = "dev" },
        })).DatasetArn!;
        var tags = (await store.Client.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = dataset })).Tags;
        Assert.That(tags["stage"], Is.EqualTo("dev"));
    }

    [Test]
    public async Task TaggingAnUnknownResource_IsNotFound()
    {
        await using var store = new TestStore();
        const string arn = "arn:aws:rekognition:us-east-1:123456789012:project/none/1700000000000";
        Assert.ThrowsAsync<ResourceNotFoundException>(() => store.Client.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = { ["a"] = "b" } }));
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = "arn:aws:s3:::bucket-name-here" }));
    }

    [TestCase("aws:reserved", "v")]
    [TestCase("", "v")]
    [TestCase("bad#key", "v")]
    [TestCase("ok", "bad#value")]
    public async Task InvalidTags_AreRefused(string key, string value)
    {
        await using var store = new TestStore();
        var arn = await store.CreateProjectAsync();
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = { [key] = value } }));
        Assert.That((await store.Client.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = arn })).Tags, Is.Empty);
    }

    [Test]
    public async Task MoreThan200Tags_ExceedTheQuota_AndNothingIsWritten()
    {
        await using var store = new TestStore();
        var arn = await store.CreateProjectAsync();
        var first = Enumerable.Range(0, 150).ToDictionary(i => $"k{i}", i => "v");
        await store.Client.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = first });
        var more = Enumerable.Range(150, 51).ToDictionary(i => $"k{i}", i => "v");
        Assert.ThrowsAsync<ServiceQuotaExceededException>(() => store.Client.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = more }));
        Assert.That((await store.Client.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = arn })).Tags, Has.Count.EqualTo(150));

        // Overwriting existing keys does not count against the quota.
        var overwrite = Enumerable.Range(100, 50).ToDictionary(i => $"k{i}", i => "w");
        overwrite["k150"] = "new";
        var fifty = Enumerable.Range(151, 49).ToDictionary(i => $"k{i}", i => "v");
        foreach (var (k, v) in fifty)
        {
            overwrite[k] = v;
        }

        await store.Client.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = overwrite });
        Assert.That((await store.Client.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = arn })).Tags, Has.Count.EqualTo(200));
    }
}
