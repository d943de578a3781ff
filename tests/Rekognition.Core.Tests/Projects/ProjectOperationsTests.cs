using System.Text.RegularExpressions;
using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Projects;

public class ProjectOperationsTests
{
    private static readonly Regex ServiceProjectArn = new(@"(^arn:[a-z\d-]+:rekognition:[a-z\d-]+:\d{12}:project\/[a-zA-Z0-9_.\-]{1,255}\/[0-9]+$)");

    [Test]
    public async Task CreateProject_ReturnsAnArnInTheServiceFormat_AndDescribeShowsIt()
    {
        await using var store = new TestStore();
        var arn = await store.CreateProjectAsync("pcb-parts");

        Assert.That(ServiceProjectArn.IsMatch(arn), Is.True, arn);
        Assert.That(arn, Does.StartWith("arn:aws:rekognition:us-east-1:123456789012:project/pcb-parts/"));
        var described = await store.Client.DescribeProjectsAsync(new DescribeProjectsRequest());
        var project = described.ProjectDescriptions.Single();
        Assert.Multiple(() =>
        {
            Assert.That(project.ProjectArn, Is.EqualTo(arn));
            Assert.That(project.Status, Is.EqualTo(ProjectStatus.CREATED));
            Assert.That(project.Feature, Is.EqualTo(CustomizationFeature.CUSTOM_LABELS));
            Assert.That(project.Datasets, Is.Empty);
            Assert.That(project.CreationTimestamp!.Value.Kind, Is.EqualTo(DateTimeKind.Utc));
            Assert.That(described.NextToken, Is.Null);
        });
    }

    [Test]
    public async Task CreateProject_WithATakenName_IsRefusedWithResourceInUse()
    {
        await using var store = new TestStore();
        await store.CreateProjectAsync("same");
        var ex = Assert.ThrowsAsync<ResourceInUseException>(() => store.Client.CreateProjectAsync(new CreateProjectRequest { ProjectName = "same" }));
        Assert.That(ex!.ErrorCode, Is.EqualTo("ResourceInUseException"));
    }

    [TestCase("")]
    [TestCase("has space")]
    [TestCase("slash/name")]
    [TestCase("ünïcode")]
    public async Task CreateProject_WithAnInvalidName_IsRefusedWithInvalidParameter(string name)
    {
        await using var store = new TestStore();
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.CreateProjectAsync(new CreateProjectRequest { ProjectName = name }));
        Assert.That((await store.Client.DescribeProjectsAsync(new DescribeProjectsRequest())).ProjectDescriptions, Is.Empty);
    }

    [Test]
    public async Task CreateProject_RejectsNamesLongerThan255_AndContentModeration()
    {
        await using var store = new TestStore();
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.CreateProjectAsync(new CreateProjectRequest { ProjectName = new string('a', 256) }));
        Assert.DoesNotThrowAsync(() => store.Client.CreateProjectAsync(new CreateProjectRequest { ProjectName = new string('a', 255) }));
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.CreateProjectAsync(
            new CreateProjectRequest { ProjectName = "moderation", Feature = CustomizationFeature.CONTENT_MODERATION }));
    }

    [Test]
    public async Task DescribeProjects_PagesThroughEveryProjectInCreationOrder()
    {
        await using var store = new TestStore();
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await store.CreateProjectAsync($"p{i}"));
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await store.Client.DescribeProjectsAsync(new DescribeProjectsRequest { MaxResults = 2, NextToken = token });
            Assert.That(page.ProjectDescriptions, Has.Count.LessThanOrEqualTo(2));
            seen.AddRange(page.ProjectDescriptions.Select(p => p.ProjectArn!));
            Assert.That(page.NextToken, Is.Not.EqualTo(token), "the same token twice would make SDK paginators fail");
            token = page.NextToken;
            pages++;
        }
        while (token is not null);

        Assert.That(pages, Is.EqualTo(3));
        Assert.That(seen, Is.EqualTo(created));
    }

    [Test]
    public async Task DescribeProjects_FiltersByName_AndValidatesItsParameters()
    {
        await using var store = new TestStore();
        await store.CreateProjectAsync("alpha");
        var beta = await store.CreateProjectAsync("beta");
        var filtered = await store.Client.DescribeProjectsAsync(new DescribeProjectsRequest { ProjectNames = { "beta", "missing" } });
        Assert.That(filtered.ProjectDescriptions.Select(p => p.ProjectArn), Is.EqualTo(new[] { beta }));

        Assert.ThrowsAsync<ValidationException>(() => store.Client.DescribeProjectsAsync(new DescribeProjectsRequest { MaxResults = 101 }));
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.DescribeProjectsAsync(new DescribeProjectsRequest { MaxResults = 0 }));
        Assert.ThrowsAsync<InvalidPaginationTokenException>(() => store.Client.DescribeProjectsAsync(new DescribeProjectsRequest { NextToken = "not-a-token!" }));
    }

    [Test]
    public async Task PaginationToken_FromAnotherListing_IsRefused()
    {
        await using var store = new TestStore();
        var project = await store.CreateProjectAsync("tokens");
        for (var i = 0; i < 3; i++)
        {
            await store.Client.PutProjectPolicyAsync(new PutProjectPolicyRequest
            {
                ProjectArn = project, PolicyName = $"p{i}", PolicyDocument = Rekognition.Core.Tests.Policies.PolicyOperationsTests.ValidDocument,
            });
        }

        var policies = await store.Client.ListProjectPoliciesAsync(new ListProjectPoliciesRequest { ProjectArn = project, MaxResults = 2 });
        Assert.That(policies.NextToken, Is.Not.Null);
        Assert.ThrowsAsync<InvalidPaginationTokenException>(() => store.Client.DescribeProjectsAsync(new DescribeProjectsRequest { NextToken = policies.NextToken }));
    }

    [Test]
    public async Task DeleteProject_RemovesIt_AndAnUnknownArnIsNotFound()
    {
        await using var store = new TestStore();
        var arn = await store.CreateProjectAsync("gone");
        await store.Client.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = { ["k"] = "v" } });
        var response = await store.Client.DeleteProjectAsync(new DeleteProjectRequest { ProjectArn = arn });
        Assert.That(response.Status, Is.EqualTo(ProjectStatus.DELETING));
        Assert.That((await store.Client.DescribeProjectsAsync(new DescribeProjectsRequest())).ProjectDescriptions, Is.Empty);
        Assert.ThrowsAsync<ResourceNotFoundException>(() => store.Client.DeleteProjectAsync(new DeleteProjectRequest { ProjectArn = arn }));
        Assert.ThrowsAsync<ResourceNotFoundException>(() => store.Client.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = arn }));
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.DeleteProjectAsync(new DeleteProjectRequest { ProjectArn = "arn:nonsense" }));

        // The name is free again.
        Assert.DoesNotThrowAsync(() => store.Client.CreateProjectAsync(new CreateProjectRequest { ProjectName = "gone" }));
    }

    [Test]
    public async Task DeleteProject_WithADataset_IsRefusedAndKeepsEverything()
    {
        await using var store = new TestStore();
        var arn = await store.CreateProjectAsync("busy");
        await store.Client.CreateDatasetAsync(new CreateDatasetRequest { ProjectArn = arn, DatasetType = DatasetType.TRAIN });
        Assert.ThrowsAsync<ResourceInUseException>(() => store.Client.DeleteProjectAsync(new DeleteProjectRequest { ProjectArn = arn }));
        var project = (await store.Client.DescribeProjectsAsync(new DescribeProjectsRequest())).ProjectDescriptions.Single();
        Assert.That(project.Datasets, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Projects_SurviveReopeningTheStore()
    {
        await using var store = new TestStore();
        var arn = await store.CreateProjectAsync("durable");
        await store.ReopenAsync();
        var described = await store.Client.DescribeProjectsAsync(new DescribeProjectsRequest());
        Assert.That(described.ProjectDescriptions.Single().ProjectArn, Is.EqualTo(arn));
    }
}
