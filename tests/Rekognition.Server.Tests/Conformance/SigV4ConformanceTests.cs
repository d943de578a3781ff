using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Server.Tests.Conformance;

/// <summary>The host with credentials configured: real clients' SigV4 signatures, and the auth errors.</summary>
[Category("Conformance")]
public class SigV4ConformanceTests
{
    private const string AccessKeyId = "AKIALOCALTEST000001";
    private const string Secret = "local/secret+Key0123456789abcdefghijKLMN";

    private LocalServerFixture _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await LocalServerFixture.StartAsync(AccessKeyId, Secret);

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Boto3AndTheCli_SignCorrectly_AndWrongCredentialsGetTheAuthErrors()
    {
        ExternalClients.RequireBoto3();
        var work = Path.Combine(_server.Root, "sig");
        var right = await new ExternalClients(_server.Endpoint, work, AccessKeyId, Secret).Boto3Async("""
            step('create', lambda: rk.create_project(ProjectName='signed'))
            step('describe', lambda: rk.describe_projects())
            """);
        Assert.That(ExternalClients.Ok(right, "create").GetProperty("ProjectArn").GetString(), Does.Contain(":project/signed/"));
        Assert.That(ExternalClients.Ok(right, "describe").GetProperty("ProjectDescriptions").GetArrayLength(), Is.EqualTo(1));

        var wrongSecret = await new ExternalClients(_server.Endpoint, work, AccessKeyId, Secret + "x").Boto3Async("step('d', lambda: rk.describe_projects())");
        var signatureError = ExternalClients.Error(wrongSecret, "d");
        Assert.That(signatureError.GetProperty("code").GetString(), Is.EqualTo("InvalidSignatureException"));
        Assert.That(signatureError.GetProperty("status").GetInt32(), Is.EqualTo(400));
        Assert.That(signatureError.GetProperty("message").GetString(), Does.StartWith("The request signature we calculated does not match"));

        var wrongKey = await new ExternalClients(_server.Endpoint, work, "AKIAUNKNOWN", Secret).Boto3Async("step('d', lambda: rk.describe_projects())");
        Assert.That(ExternalClients.Error(wrongKey, "d").GetProperty("code").GetString(), Is.EqualTo("UnrecognizedClientException"));

        if (!OperatingSystem.IsWindows())
        {
            ExternalClients.RequireAwsCli();
            var cli = await new ExternalClients(_server.Endpoint, work, AccessKeyId, Secret).AwsAsync("describe-projects", "--project-names", "signed");
            Assert.That(cli.Json().GetProperty("ProjectDescriptions").GetArrayLength(), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task UnsignedAndStaleRequests_AreRefused()
    {
        using var wire = new WireClient(_server.Endpoint);
        var unsigned = await wire.SendAsync("RekognitionService.DescribeProjects", "{}");
        Assert.That(unsigned.Status, Is.EqualTo(400));
        Assert.That(unsigned.Json.GetProperty("__type").GetString(), Is.EqualTo("MissingAuthenticationTokenException"));
        Assert.That(unsigned.Json.GetProperty("Message").GetString(), Is.EqualTo("Missing Authentication Token"));

        var signedNow = await wire.SendAsync("RekognitionService.DescribeProjects", "{}", (AccessKeyId, Secret, DateTimeOffset.UtcNow));
        Assert.That(signedNow.Status, Is.EqualTo(200), signedNow.Body);

        var stale = await wire.SendAsync("RekognitionService.DescribeProjects", "{}", (AccessKeyId, Secret, DateTimeOffset.UtcNow.AddMinutes(-10)));
        Assert.That(stale.Status, Is.EqualTo(400));
        Assert.That(stale.Json.GetProperty("__type").GetString(), Is.EqualTo("InvalidSignatureException"));
        Assert.That(stale.Json.GetProperty("Message").GetString(), Does.StartWith("Signature expired: "));

        // With credentials, the server checks the signature before it even looks at the operation.
        var unknownOperation = await wire.SendAsync("RekognitionService.Nope", "{}");
        Assert.That(unknownOperation.Json.GetProperty("__type").GetString(), Is.EqualTo("MissingAuthenticationTokenException"));
    }
}
