using System.Net.Sockets;
using System.Text;
using Rekognition.Server.Hosting;
using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Server.Tests.Security;

/// <summary>Without credentials the endpoint answers only requests addressed to a loopback name or a configured host (DNS rebinding).</summary>
public class HostHeaderTests
{
    private const string ProxyHost = "rekognition.internal:8080";

    private LocalServerFixture _server = null!;
    private WireClient _client = null!;
    private int _port;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await LocalServerFixture.StartAsync(settings: new Dictionary<string, string?> { ["Rekognition:AllowedHosts:0"] = ProxyHost });
        _client = new WireClient(_server.Endpoint);
        _port = new Uri(_server.Endpoint).Port;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private Task<WireClient.Answer> DescribeAsync(string host) =>
        _client.SendAsync("RekognitionService.DescribeProjects", "{}", headers: new Dictionary<string, string> { ["Host"] = host });

    private static void AssertRefused(WireClient.Answer answer, string because)
    {
        Assert.That(answer.Status, Is.EqualTo(403), $"{because}: {answer.Body}");
        Assert.That(answer.Header("x-amzn-ErrorType"), Is.EqualTo("AccessDeniedException"), because);
        Assert.That(answer.Json.GetProperty("__type").GetString(), Is.EqualTo("AccessDeniedException"), because);
        Assert.That(answer.Json.GetProperty("Message").GetString(), Does.Contain("Rekognition:AllowedHosts"), because);
    }

    [TestCase("localhost")]
    [TestCase("LOCALHOST:{port}")]
    [TestCase("localhost:{port}")]
    [TestCase("127.0.0.1:{port}")]
    [TestCase("[::1]:{port}")]
    [TestCase("[0:0:0:0:0:0:0:1]:{port}")]
    [TestCase(ProxyHost)]
    public async Task LoopbackNamesAndTheConfiguredHost_AreAnswered(string host)
    {
        var answer = await DescribeAsync(host.Replace("{port}", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.That(answer.Status, Is.EqualTo(200), answer.Body);
    }

    [TestCase("evil.example")]
    [TestCase("evil.example:{port}")]
    [TestCase("127.0.0.1.evil.example:{port}")]
    [TestCase("localhost.:{port}")]
    [TestCase("localhost.evil.example")]
    [TestCase("127.0.0.2:{port}")]
    [TestCase("0.0.0.0:{port}")]
    [TestCase("[::ffff:127.0.0.1]:{port}")]
    [TestCase("[::2]:{port}")]
    [TestCase("rekognition.internal:9090")]
    [TestCase("rekognition.internal")]
    public async Task OtherHosts_Get403AccessDenied(string host)
    {
        AssertRefused(await DescribeAsync(host.Replace("{port}", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)), host);
    }

    [Test]
    public async Task ARefusedRequest_DoesNotReachTheOperation()
    {
        var answer = await _client.SendAsync("RekognitionService.CreateProject", """{"ProjectName":"rebound"}""", headers: new Dictionary<string, string> { ["Host"] = "evil.example" });
        AssertRefused(answer, "evil.example");
        var listed = await _client.SendAsync("RekognitionService.DescribeProjects", """{"ProjectNames":["rebound"]}""");
        Assert.That(listed.Json.GetProperty("ProjectDescriptions").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task ARequestWithoutHost_IsRefused()
    {
        // HTTP/1.0 may omit Host, and Kestrel lets it through: the endpoint refuses it.
        var http10 = await RawAsync("POST / HTTP/1.0\r\nX-Amz-Target: RekognitionService.DescribeProjects\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 2\r\n\r\n{}");
        Assert.That(http10, Does.StartWith("HTTP/1.1 403").And.Contain("AccessDeniedException").And.Contain("no Host header"));

        // HTTP/1.1 requires it, and Kestrel answers 400 before the endpoint runs.
        var http11 = await RawAsync("POST / HTTP/1.1\r\nX-Amz-Target: RekognitionService.DescribeProjects\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        Assert.That(http11, Does.StartWith("HTTP/1.1 400"));
    }

    [Test]
    public async Task MalformedHostHeaders_AreNotAnswered()
    {
        foreach (var host in new[] { "::1", $"[::1]x:{_port}", "evil.example:99999" })
        {
            var answer = await DescribeAsync(host);
            Assert.That(answer.Status, Is.AnyOf(400, 403), host);
            Assert.That(answer.Body, Does.Not.Contain("ProjectDescriptions"), host);
        }
    }

    [Test]
    public async Task WithCredentials_TheSignatureCoversHost_AndAnyHostIsAnswered()
    {
        await using var signed = await LocalServerFixture.StartAsync("AKIDHOST", "host-secret");
        using var client = new WireClient(signed.Endpoint);
        var answer = await client.SendAsync("RekognitionService.DescribeProjects", "{}", ("AKIDHOST", "host-secret", DateTimeOffset.UtcNow),
            headers: new Dictionary<string, string> { ["Host"] = "rekognition.example.com" });
        Assert.That(answer.Status, Is.EqualTo(200), answer.Body);
    }

    [Test]
    [Category("Conformance")]
    public async Task Boto3_ShowsARefusedHost_AsAccessDenied_WithoutRetrying()
    {
        ExternalClients.RequireBoto3();
        var clients = new ExternalClients(_server.Endpoint, Path.Combine(_server.Root, "host-boto3"));
        var results = await clients.Boto3Async("""
            attempts = []
            def rebind(request, **kwargs):
                request.headers['Host'] = 'evil.example'
                attempts.append(1)
            retrying = boto3.client('rekognition', endpoint_url=os.environ['RK_ENDPOINT'], region_name='us-east-1',
                                    config=Config(retries={'max_attempts': 5, 'mode': 'standard'}))
            retrying.meta.events.register('before-send.rekognition', rebind)
            step('rebound', lambda: retrying.describe_projects())
            RESULTS['attempts'] = {'ok': len(attempts)}
            """);
        var error = ExternalClients.Error(results, "rebound");
        Assert.That(error.GetProperty("code").GetString(), Is.EqualTo("AccessDeniedException"));
        Assert.That(error.GetProperty("status").GetInt32(), Is.EqualTo(403));
        Assert.That(error.GetProperty("message").GetString(), Does.Contain("evil.example"));
        Assert.That(ExternalClients.Ok(results, "attempts").GetInt32(), Is.EqualTo(1), "a 403 is not retried");
    }

    [TestCase("localhost", true)]
    [TestCase("localhost:1", true)]
    [TestCase("localhost:65535", true)]
    [TestCase("localhost:0", false)]
    [TestCase("localhost:65536", false)]
    [TestCase("localhost:", false)]
    [TestCase("localhost:+80", false)]
    [TestCase("localhost:80:80", false)]
    [TestCase("localhost ", false)]
    [TestCase("local host", false)]
    [TestCase("localhost@evil.example", false)]
    [TestCase("evil.example#localhost", false)]
    [TestCase("[::1]", true)]
    [TestCase("[::1", false)]
    [TestCase("::1", false)]
    [TestCase("[127.0.0.1]", false)]
    [TestCase("", false)]
    [TestCase(null, false)]
    public void TheCheck_ParsesHostAndPortStrictly(string? host, bool allowed)
    {
        Assert.That(new HostHeaderCheck([]).Allows(host), Is.EqualTo(allowed));
    }

    [Test]
    public void ConfiguredHosts_MustBeHostOrHostAndPort()
    {
        var check = new HostHeaderCheck(["Proxy.Example", "[fd00::1]:443"]);
        Assert.That(check.Allows("proxy.example:1234"), Is.True, "no port: any port");
        Assert.That(check.Allows("[fd00:0::1]:443"), Is.True);
        Assert.That(check.Allows("[fd00::1]:80"), Is.False);

        foreach (var bad in new[] { "http://proxy.example", "proxy.example/", "*", "proxy.example:http", "" })
        {
            var options = new RekognitionServerOptions { AllowedHosts = [bad] };
            var ex = Assert.Throws<InvalidOperationException>(options.Validate, bad);
            Assert.That(ex!.Message, Does.Contain("Rekognition:AllowedHosts"));
        }

        // The sample host binds the list from configuration and refuses to start with a bad entry.
        var startup = Assert.Throws<InvalidOperationException>(() => Rekognition.Samples.LocalServer.LocalServerApp.Build(
            ["--urls", "http://127.0.0.1:0", "--Rekognition:AllowedHosts:0=http://proxy.example/"]));
        Assert.That(startup!.Message, Does.Contain("'http://proxy.example/'"));
    }

    private async Task<string> RawAsync(string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", _port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await reader.ReadToEndAsync(timeout.Token);
    }
}
