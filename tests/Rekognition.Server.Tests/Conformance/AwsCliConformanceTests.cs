using System.Text.Json;
using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Server.Tests.Conformance;

/// <summary>The AWS CLI on this machine (v1, botocore) against the LocalServer host on loopback.</summary>
[Category("Conformance")]
public class AwsCliConformanceTests
{
    private const string PolicyDocument =
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"rekognition:CopyProjectVersion","Resource":"arn:aws:rekognition:us-east-1:123456789012:project/cli-a/version/*"}]}""";

    private LocalServerFixture _server = null!;
    private ExternalClients _cli = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        ExternalClients.RequireAwsCli();
        _server = await LocalServerFixture.StartAsync();
        _cli = new ExternalClients(_server.Endpoint, Path.Combine(_server.Root, "cli"));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    public async Task Projects_Tags_Policies_AndAnEmptyDataset_ThroughTheCli()
    {
        var a = (await _cli.AwsAsync("create-project", "--project-name", "cli-a", "--tags", "team=vision,stage=dev")).Json().GetProperty("ProjectArn").GetString()!;
        var b = (await _cli.AwsAsync("create-project", "--project-name", "cli-b")).Json().GetProperty("ProjectArn").GetString()!;
        Assert.That(a, Does.Match(@"^arn:aws:rekognition:us-east-1:123456789012:project/cli-a/\d+$"));

        // --page-size 1: the CLI follows NextToken over two pages and merges them.
        var projects = (await _cli.AwsAsync("describe-projects", "--page-size", "1")).Json().GetProperty("ProjectDescriptions");
        Assert.That(projects.EnumerateArray().Select(p => p.GetProperty("ProjectArn").GetString()), Is.EquivalentTo(new[] { a, b }));
        Assert.That(projects.EnumerateArray().Select(p => p.GetProperty("Status").GetString()), Is.All.EqualTo("CREATED"));
        Assert.That(projects[0].GetProperty("CreationTimestamp").ValueKind, Is.EqualTo(JsonValueKind.Number), "CLI v1 prints the epoch number as received");

        // Tags: the ones given at creation, then tag and untag.
        Assert.That(Tags((await _cli.AwsAsync("list-tags-for-resource", "--resource-arn", a)).Json()),
            Is.EquivalentTo(new Dictionary<string, string> { ["team"] = "vision", ["stage"] = "dev" }));
        Assert.That((await _cli.AwsAsync("tag-resource", "--resource-arn", a, "--tags", "owner=qa")).ExitCode, Is.Zero);
        Assert.That((await _cli.AwsAsync("untag-resource", "--resource-arn", a, "--tag-keys", "stage")).ExitCode, Is.Zero);
        Assert.That(Tags((await _cli.AwsAsync("list-tags-for-resource", "--resource-arn", a)).Json()),
            Is.EquivalentTo(new Dictionary<string, string> { ["team"] = "vision", ["owner"] = "qa" }));

        // Project policies with revision ids.
        var revision = (await _cli.AwsAsync("put-project-policy", "--project-arn", a, "--policy-name", "copy", "--policy-document", PolicyDocument))
            .Json().GetProperty("PolicyRevisionId").GetString()!;
        var policies = (await _cli.AwsAsync("list-project-policies", "--project-arn", a)).Json().GetProperty("ProjectPolicies");
        Assert.That(policies.GetArrayLength(), Is.EqualTo(1));
        Assert.That(policies[0].GetProperty("PolicyName").GetString(), Is.EqualTo("copy"));
        Assert.That(policies[0].GetProperty("PolicyRevisionId").GetString(), Is.EqualTo(revision));
        Assert.That(JsonDocument.Parse(policies[0].GetProperty("PolicyDocument").GetString()!).RootElement.GetProperty("Version").GetString(), Is.EqualTo("2012-10-17"));
        var stale = await _cli.AwsAsync("delete-project-policy", "--project-arn", a, "--policy-name", "copy", "--policy-revision-id", "0" + revision);
        Assert.That(stale.ExitCode, Is.Not.Zero);
        Assert.That(stale.Stderr, Does.Contain("InvalidPolicyRevisionIdException"));
        Assert.That((await _cli.AwsAsync("delete-project-policy", "--project-arn", a, "--policy-name", "copy", "--policy-revision-id", revision)).ExitCode, Is.Zero);

        // An empty dataset: created, described, listed, deleted.
        var dataset = (await _cli.AwsAsync("create-dataset", "--project-arn", b, "--dataset-type", "TEST")).Json().GetProperty("DatasetArn").GetString()!;
        var description = (await _cli.AwsAsync("describe-dataset", "--dataset-arn", dataset)).Json().GetProperty("DatasetDescription");
        Assert.That(description.GetProperty("Status").GetString(), Does.StartWith("CREATE_"));
        var entries = (await _cli.AwsAsync("list-dataset-entries", "--dataset-arn", dataset)).Json();
        Assert.That(entries.GetProperty("DatasetEntries").GetArrayLength(), Is.Zero);
        Assert.That((await _cli.AwsAsync("delete-dataset", "--dataset-arn", dataset)).ExitCode, Is.Zero);

        var deleted = (await _cli.AwsAsync("delete-project", "--project-arn", b)).Json();
        Assert.That(deleted.GetProperty("Status").GetString(), Is.EqualTo("DELETING"));

        var missing = await _cli.AwsAsync("describe-dataset", "--dataset-arn", dataset);
        Assert.That(missing.ExitCode, Is.Not.Zero);
        Assert.That(missing.Stderr, Does.Contain("(ResourceNotFoundException)"));
    }

    private static Dictionary<string, string> Tags(JsonElement response) =>
        response.GetProperty("Tags").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
}
