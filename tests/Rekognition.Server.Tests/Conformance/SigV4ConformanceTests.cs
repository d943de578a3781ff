using Rekognition.Server.Security;
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
    public async Task ARequestSignedOverHostAndDateOnly_ReplayedAsAnotherOperation_IsRefused()
    {
        using var wire = new WireClient(_server.Endpoint);
        var created = await wire.SendAsync("RekognitionService.CreateProject", "{\"ProjectName\":\"replay-target\"}", (AccessKeyId, Secret, DateTimeOffset.UtcNow));
        Assert.That(created.Status, Is.EqualTo(200), created.Body);
        var body = "{\"ProjectArn\":\"" + created.Json.GetProperty("ProjectArn").GetString() + "\"}";

        // What a captured DescribeProjectVersions looks like when its signer covered host and x-amz-date only.
        var amzDate = DateTimeOffset.UtcNow.UtcDateTime.ToString(SigV4.DateTimeFormat, System.Globalization.CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var signedValues = new Dictionary<string, string> { ["host"] = wire.Authority, ["x-amz-date"] = amzDate };
        var canonical = SigV4.CanonicalRequest("POST", "/", "", ["host", "x-amz-date"], n => signedValues.GetValueOrDefault(n), SigV4.HexSha256(System.Text.Encoding.UTF8.GetBytes(body)));
        var signature = SigV4.Signature(SigV4.SigningKey(Secret, date, LocalServerFixture.Region),
            SigV4.StringToSign(amzDate, SigV4.CredentialScope(date, LocalServerFixture.Region), canonical));
        var headers = new Dictionary<string, string>
        {
            ["X-Amz-Date"] = amzDate,
            ["Authorization"] = $"AWS4-HMAC-SHA256 Credential={AccessKeyId}/{date}/{LocalServerFixture.Region}/rekognition/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}",
        };

        foreach (var target in new[] { "RekognitionService.DescribeProjectVersions", "RekognitionService.DeleteProject" })
        {
            var answer = await wire.SendAsync(target, body, headers: headers);
            Assert.That(answer.Status, Is.EqualTo(400), answer.Body);
            Assert.That(answer.Json.GetProperty("__type").GetString(), Is.EqualTo("InvalidSignatureException"));
            Assert.That(answer.Json.GetProperty("Message").GetString(), Does.Contain("'x-amz-target'"));
        }

        var stillThere = await wire.SendAsync("RekognitionService.DescribeProjects", "{\"ProjectNames\":[\"replay-target\"]}", (AccessKeyId, Secret, DateTimeOffset.UtcNow));
        Assert.That(stillThere.Json.GetProperty("ProjectDescriptions").GetArrayLength(), Is.EqualTo(1), "the replay did not delete the project");

        // Fully signed, the same delete goes through (and leaves the shared server as it found it).
        var deleted = await wire.SendAsync("RekognitionService.DeleteProject", body, (AccessKeyId, Secret, DateTimeOffset.UtcNow));
        Assert.That(deleted.Status, Is.EqualTo(200), deleted.Body);
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
