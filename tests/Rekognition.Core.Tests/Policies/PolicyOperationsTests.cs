using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Policies;

public class PolicyOperationsTests
{
    internal const string ValidDocument = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},
        "Action":"rekognition:CopyProjectVersion","Resource":"arn:aws:rekognition:us-east-1:123456789012:project/demo/version/*"}]}
        """;

    [Test]
    public async Task PutListUpdateDelete_FollowTheRevisionRules()
    {
        await using var store = new TestStore();
        var project = await store.CreateProjectAsync();
        var first = (await store.Client.PutProjectPolicyAsync(new PutProjectPolicyRequest { ProjectArn = project, PolicyName = "copy", PolicyDocument = ValidDocument })).PolicyRevisionId!;
        Assert.That(first, Does.Match("^[0-9a-f]{1,64}$"));

        // Same name without a revision: already exists.
        Assert.ThrowsAsync<ResourceAlreadyExistsException>(() => store.Client.PutProjectPolicyAsync(
            new PutProjectPolicyRequest { ProjectArn = project, PolicyName = "copy", PolicyDocument = ValidDocument }));

        var second = (await store.Client.PutProjectPolicyAsync(new PutProjectPolicyRequest
        {
            ProjectArn = project, PolicyName = "copy", PolicyDocument = ValidDocument.Replace("210987654321", "111111111111"), PolicyRevisionId = first,
        })).PolicyRevisionId!;
        Assert.That(second, Is.Not.EqualTo(first));

        // The old revision is stale now, for update and delete alike.
        Assert.ThrowsAsync<InvalidPolicyRevisionIdException>(() => store.Client.PutProjectPolicyAsync(
            new PutProjectPolicyRequest { ProjectArn = project, PolicyName = "copy", PolicyDocument = ValidDocument, PolicyRevisionId = first }));
        Assert.ThrowsAsync<InvalidPolicyRevisionIdException>(() => store.Client.DeleteProjectPolicyAsync(
            new DeleteProjectPolicyRequest { ProjectArn = project, PolicyName = "copy", PolicyRevisionId = first }));

        var listed = (await store.Client.ListProjectPoliciesAsync(new ListProjectPoliciesRequest { ProjectArn = project })).ProjectPolicies.Single();
        Assert.Multiple(() =>
        {
            Assert.That(listed.PolicyName, Is.EqualTo("copy"));
            Assert.That(listed.PolicyRevisionId, Is.EqualTo(second));
            Assert.That(listed.PolicyDocument, Does.Contain("111111111111"));
            Assert.That(listed.ProjectArn, Is.EqualTo(project));
            Assert.That(listed.LastUpdatedTimestamp, Is.GreaterThanOrEqualTo(listed.CreationTimestamp!.Value));
        });

        await store.Client.DeleteProjectPolicyAsync(new DeleteProjectPolicyRequest { ProjectArn = project, PolicyName = "copy", PolicyRevisionId = second });
        Assert.That((await store.Client.ListProjectPoliciesAsync(new ListProjectPoliciesRequest { ProjectArn = project })).ProjectPolicies, Is.Empty);
        Assert.ThrowsAsync<ResourceNotFoundException>(() => store.Client.DeleteProjectPolicyAsync(new DeleteProjectPolicyRequest { ProjectArn = project, PolicyName = "copy" }));
    }

    [Test]
    public async Task ASixthPolicy_ExceedsTheQuota()
    {
        await using var store = new TestStore();
        var project = await store.CreateProjectAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.Client.PutProjectPolicyAsync(new PutProjectPolicyRequest { ProjectArn = project, PolicyName = $"p{i}", PolicyDocument = ValidDocument });
        }

        Assert.ThrowsAsync<ServiceQuotaExceededException>(() => store.Client.PutProjectPolicyAsync(
            new PutProjectPolicyRequest { ProjectArn = project, PolicyName = "p5", PolicyDocument = ValidDocument }));
        var page1 = await store.Client.ListProjectPoliciesAsync(new ListProjectPoliciesRequest { ProjectArn = project, MaxResults = 3 });
        var page2 = await store.Client.ListProjectPoliciesAsync(new ListProjectPoliciesRequest { ProjectArn = project, MaxResults = 3, NextToken = page1.NextToken });
        Assert.That(page1.ProjectPolicies.Concat(page2.ProjectPolicies).Select(p => p.PolicyName), Is.EqualTo(new[] { "p0", "p1", "p2", "p3", "p4" }));
        Assert.That(page2.NextToken, Is.Null);
        Assert.ThrowsAsync<ValidationException>(() => store.Client.ListProjectPoliciesAsync(new ListProjectPoliciesRequest { ProjectArn = project, MaxResults = 6 }));
    }

    [TestCase("not json")]
    [TestCase("""{"Version":"2012-10-17","Statement":[]}""")]
    [TestCase("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"rekognition:DetectCustomLabels","Resource":"*"}]}""")]
    [TestCase("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","NotAction":"rekognition:CopyProjectVersion","Resource":"*"}]}""")]
    [TestCase("""{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Principal":"*","Action":"rekognition:CopyProjectVersion","Resource":"*"}]}""")]
    [TestCase("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"rekognition:CopyProjectVersion","Resource":"*"}]}""")]
    [TestCase("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"rekognition:CopyProjectVersion","Resource":"*"}]}""")]
    public async Task MalformedDocuments_AreRefusedAndNothingIsStored(string document)
    {
        await using var store = new TestStore();
        var project = await store.CreateProjectAsync();
        Assert.ThrowsAsync<MalformedPolicyDocumentException>(() => store.Client.PutProjectPolicyAsync(
            new PutProjectPolicyRequest { ProjectArn = project, PolicyName = "bad", PolicyDocument = document }));
        Assert.That((await store.Client.ListProjectPoliciesAsync(new ListProjectPoliciesRequest { ProjectArn = project })).ProjectPolicies, Is.Empty);
    }

    [Test]
    public async Task Documents_OverTheLengthOrCharacterLimits_AreInvalidParameters()
    {
        await using var store = new TestStore();
        var project = await store.CreateProjectAsync();
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.PutProjectPolicyAsync(
            new PutProjectPolicyRequest { ProjectArn = project, PolicyName = "big", PolicyDocument = ValidDocument + new string(' ', 2001) }));
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.PutProjectPolicyAsync(
            new PutProjectPolicyRequest { ProjectArn = project, PolicyName = "emoji", PolicyDocument = ValidDocument.Replace("Allow", "Allow😀") }));
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.PutProjectPolicyAsync(
            new PutProjectPolicyRequest { ProjectArn = project, PolicyName = "bad name", PolicyDocument = ValidDocument }));
    }

    [Test]
    public async Task DeletingTheProject_DeletesItsPolicies()
    {
        await using var store = new TestStore();
        var project = await store.CreateProjectAsync("withpolicy");
        await store.Client.PutProjectPolicyAsync(new PutProjectPolicyRequest { ProjectArn = project, PolicyName = "copy", PolicyDocument = ValidDocument });
        await store.Client.DeleteProjectAsync(new DeleteProjectRequest { ProjectArn = project });
        Assert.ThrowsAsync<ResourceNotFoundException>(() => store.Client.ListProjectPoliciesAsync(new ListProjectPoliciesRequest { ProjectArn = project }));
    }
}
