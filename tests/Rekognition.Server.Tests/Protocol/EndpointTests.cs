using System.Text.Json;
using Rekognition.Samples.LocalServer;
using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Server.Tests.Protocol;

/// <summary>The protocol over real HTTP (Kestrel on loopback), without credentials configured.</summary>
public class EndpointTests
{
    private LocalServerFixture _server = null!;
    private WireClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await LocalServerFixture.StartAsync();
        _client = new WireClient(_server.Endpoint);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private static void AssertError(WireClient.Answer answer, int status, string code)
    {
        Assert.Multiple(() =>
        {
            Assert.That(answer.Status, Is.EqualTo(status), answer.Body);
            Assert.That(answer.ContentType, Is.EqualTo("application/x-amz-json-1.1"));
            Assert.That(answer.Header("x-amzn-ErrorType"), Is.EqualTo(code));
            Assert.That(Guid.TryParse(answer.Header("x-amzn-RequestId"), out _), Is.True);
            var json = answer.Json;
            Assert.That(json.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "__type", "Code", "Logref", "Message" }));
            Assert.That(json.GetProperty("__type").GetString(), Is.EqualTo(code));
            Assert.That(json.GetProperty("Code").GetString(), Is.EqualTo(code));
            Assert.That(Guid.TryParse(json.GetProperty("Logref").GetString(), out _), Is.True);
            Assert.That(json.GetProperty("Message").GetString(), Is.Not.Empty);
        });
    }

    [Test]
    public async Task Success_Is200WithTheProtocolHeaders_AndMembersAsInTheModel()
    {
        var created = await _client.SendAsync("RekognitionService.CreateProject", """{"ProjectName":"wire-ok","Tags":{"team":"vision"},"Unknown":1}""");
        Assert.That(created.Status, Is.EqualTo(200), created.Body);
        Assert.That(created.ContentType, Is.EqualTo("application/x-amz-json-1.1"));
        Assert.That(Guid.TryParse(created.Header("x-amzn-RequestId"), out _), Is.True);
        var arn = created.Json.GetProperty("ProjectArn").GetString()!;
        Assert.That(arn, Does.StartWith("arn:aws:rekognition:us-east-1:123456789012:project/wire-ok/"));

        var described = await _client.SendAsync("RekognitionService.DescribeProjects", """{"ProjectNames":["wire-ok"]}""");
        var project = described.Json.GetProperty("ProjectDescriptions")[0];
        Assert.That(project.GetProperty("ProjectArn").GetString(), Is.EqualTo(arn));
        Assert.That(project.GetProperty("Status").GetString(), Is.EqualTo("CREATED"));
        Assert.That(project.GetProperty("CreationTimestamp").ValueKind, Is.EqualTo(JsonValueKind.Number));
        var seconds = project.GetProperty("CreationTimestamp").GetDouble();
        Assert.That(seconds, Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).Within(120));
        Assert.That(described.Json.TryGetProperty("NextToken", out _), Is.False, "null members are omitted");
        Assert.That(described.Json.TryGetProperty("HttpStatusCode", out _), Is.False);

        var tagged = await _client.SendAsync("RekognitionService.TagResource", "{\"ResourceArn\":\"" + arn + "\",\"Tags\":{\"stage\":\"dev\"}}");
        Assert.That((tagged.Status, tagged.Body), Is.EqualTo((200, "{}")));
    }

    [Test]
    public async Task ProtocolErrors_HaveTheServiceShape()
    {
        AssertError(await _client.SendAsync("RekognitionService.NoSuchOperation", "{}"), 400, "UnknownOperationException");
        AssertError(await _client.SendAsync("OtherService.DescribeProjects", "{}"), 400, "UnknownOperationException");
        AssertError(await _client.SendAsync(null, "{}"), 400, "UnknownOperationException");
        AssertError(await _client.SendAsync("RekognitionService.DescribeProjects", "[]"), 400, "SerializationException");
        AssertError(await _client.SendAsync("RekognitionService.DescribeProjects", ""), 400, "SerializationException");
        AssertError(await _client.SendAsync("RekognitionService.DescribeProjects", "{\"MaxResults\":"), 400, "SerializationException");

        var wrongType = await _client.SendAsync("RekognitionService.DescribeProjects", """{"MaxResults":"ten"}""");
        AssertError(wrongType, 400, "SerializationException");
        Assert.That(wrongType.Json.GetProperty("Message").GetString(), Does.Contain("$.MaxResults"));
    }

    [Test]
    public async Task ServiceErrors_CarryTheirCodeAndStatus()
    {
        var notFound = await _client.SendAsync("RekognitionService.DeleteProject",
            """{"ProjectArn":"arn:aws:rekognition:us-east-1:123456789012:project/missing/1700000000000"}""");
        AssertError(notFound, 400, "ResourceNotFoundException");

        AssertError(await _client.SendAsync("RekognitionService.CreateProject", """{"ProjectName":"bad name"}"""), 400, "InvalidParameterException");

        var tooMany = await _client.SendAsync("RekognitionService.DescribeProjects", """{"MaxResults":101}""");
        AssertError(tooMany, 400, "ValidationException");
        Assert.That(tooMany.Json.GetProperty("Message").GetString(), Does.Contain("less than or equal to 100"));
    }

    [Test]
    public async Task BodiesAboveTheLimit_AreRefusedWithAClearMessage()
    {
        var big = "{\"ProjectName\":\"" + new string('a', RekognitionServerOptions.DefaultMaxRequestBodyBytes) + "\"}";
        var answer = await _client.SendAsync("RekognitionService.CreateProject", big);
        AssertError(answer, 400, "InvalidParameterException");
        Assert.That(answer.Json.GetProperty("Message").GetString(), Does.Contain("at most 8388608 bytes"));
    }

    [Test]
    public async Task UnsignedEndpoint_IgnoresSignatures()
    {
        var answer = await _client.SendAsync("RekognitionService.DescribeProjects", "{}", ("whoever", "whatever", DateTimeOffset.UtcNow.AddHours(-3)));
        Assert.That(answer.Status, Is.EqualTo(200), answer.Body);
    }

    [Test]
    public void WithoutCredentials_TheHostRefusesNonLoopbackAddresses()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => LocalServerApp.Build(["--urls", "http://0.0.0.0:0"]));
        Assert.That(ex!.Message, Does.Contain("http://0.0.0.0:0").And.Contain("Rekognition:AccessKeyId"));
        Assert.Throws<InvalidOperationException>(() => LocalServerApp.Build(["--urls", "http://127.0.0.1:0;http://*:0"]));
        Assert.Throws<InvalidOperationException>(() => LocalServerApp.Build(["--Rekognition:AccessKeyId=only-half", "--urls", "http://127.0.0.1:0"]));
    }

    [Test]
    public async Task WithCredentials_TheHostMayListenOnAnyAddress()
    {
        var store = Path.Combine(_server.Root, "other-store");
        await using var app = LocalServerApp.Build(["--urls", "http://0.0.0.0:0", "--Rekognition:AccessKeyId=AKID", "--Rekognition:SecretAccessKey=secret", $"--Rekognition:StoreRoot={store}"]);
        Assert.That(app, Is.Not.Null);
    }
}
