using System.Net;
using System.Text;
using System.Text.Json;
using Rekognition.Console.Tests.TestSupport;
using Rekognition.Core.Model;
using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Console.Tests;

/// <summary>The console's JSON API without a browser: CSRF and host refusals, the service's validation, stale saves, bad uploads.</summary>
public partial class ConsoleApiTests
{
    private LocalServerFixture _server = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await LocalServerFixture.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_server.Endpoint) };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task AChangeWithoutTheConsoleHeader_OrFromAnotherSite_IsRefused_AndChangesNothing()
    {
        var refusals = new[]
        {
            await SendAsync(HttpMethod.Post, "projects", """{"name":"csrf1"}""", csrf: false),
            await SendAsync(HttpMethod.Post, "projects", """{"name":"csrf2"}""", headers: [("Origin", "http://evil.example")]),
            await SendAsync(HttpMethod.Post, "projects", """{"name":"csrf3"}""", headers: [("Sec-Fetch-Site", "cross-site")]),
        };
        foreach (var (status, json) in refusals)
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(json.GetProperty("code").GetString(), Is.EqualTo("AccessDeniedException"));
        }

        var projects = await ConsoleStore.Client(_server).DescribeProjectsAsync(new DescribeProjectsRequest());
        Assert.That(projects.ProjectDescriptions.Select(p => p.ProjectArn), Has.None.Contains("csrf"));
        var (ok, _) = await SendAsync(HttpMethod.Post, "projects", """{"name":"same-origin"}""", headers: [("Origin", _server.Endpoint), ("Sec-Fetch-Site", "same-origin")]);
        Assert.That(ok, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task AnotherHostName_IsRefused()
    {
        var (status, json) = await SendAsync(HttpMethod.Get, "projects", null, headers: [("Host", "rebound.example")]);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(json.GetProperty("code").GetString(), Is.EqualTo("AccessDeniedException"));
    }

    [Test]
    public async Task BadInput_GetsTheServicesCode_InWords_WithoutPaths()
    {
        var cases = new (HttpMethod Method, string Path, string? Body, string Code)[]
        {
            (HttpMethod.Post, "projects", """{"name":"bad name!"}""", "InvalidParameterException"),
            (HttpMethod.Post, "projects", "{not json", "InvalidParameterException"),
            (HttpMethod.Post, "datasets", """{"project":"arn:aws:rekognition:us-east-1:123456789012:project/none/1","type":"TRAIN"}""", "ResourceNotFoundException"),
            (HttpMethod.Post, "datasets", """{"project":"x","type":"TRAIN","manifest":"not-s3"}""", "InvalidParameterException"),
            (HttpMethod.Get, "entries?dataset=arn:nope", null, "InvalidParameterException"),
            (HttpMethod.Post, "versions/start", """{"arn":"arn:aws:rekognition:us-east-1:123456789012:project/p/version/v/1","minUnits":1}""", "ResourceNotFoundException"),
        };
        foreach (var (method, path, body, code) in cases)
        {
            var (status, json) = await SendAsync(method, path, body);
            Assert.That((int)status, Is.InRange(400, 499), $"{method} {path}");
            Assert.That(json.GetProperty("code").GetString(), Is.EqualTo(code), $"{method} {path}: {json}");
            var message = json.GetProperty("message").GetString()!;
            Assert.That(message, Is.Not.Empty);
            Assert.That(message, Does.Not.Contain(_server.Root).And.Not.Contain(" at Rekognition."), "no server path or stack trace");
        }
    }

    [Test]
    public async Task AStaleSave_IsRefused_AndTheNewerLabelsStay()
    {
        var project = (await ConsoleStore.Client(_server).CreateProjectAsync(new CreateProjectRequest { ProjectName = "stale" })).ProjectArn!;
        var dataset = await ConsoleStore.DatasetAsync(_server, project, DatasetType.TRAIN, ConsoleStore.SceneManifest(_server, "stale", 1));
        var (_, page) = await SendAsync(HttpMethod.Get, $"entries?dataset={Uri.EscapeDataString(dataset)}&contains=red0", null);
        var entry = page.GetProperty("entries")[0];
        var sourceRef = entry.GetProperty("sourceRef").GetString()!;
        var revision = entry.GetProperty("revision").GetInt64();

        var first = await SendAsync(HttpMethod.Post, "entry", JsonSerializer.Serialize(new { dataset, sourceRef, revision, labels = new[] { "blue" } }));
        var second = await SendAsync(HttpMethod.Post, "entry", JsonSerializer.Serialize(new { dataset, sourceRef, revision, labels = new[] { "red" } }));

        Assert.That(first.Status, Is.EqualTo(HttpStatusCode.OK), first.Json.ToString());
        Assert.That(first.Json.GetProperty("revision").GetInt64(), Is.EqualTo(revision + 1));
        Assert.That(second.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(second.Json.GetProperty("code").GetString(), Is.EqualTo("ResourceInUseException"));
        Assert.That(second.Json.GetProperty("message").GetString(), Does.Contain("changed since you read it"));
        var stored = (await ConsoleStore.EntriesAsync(_server, dataset)).Single(l => l.Contains(sourceRef, StringComparison.Ordinal));
        Assert.That(stored, Does.Contain("\"class-name\":\"blue\"").And.Not.Contain("\"class-name\":\"red\""));
    }

    [Test]
    public async Task ABoxOutsideTheImage_IsRefusedWithTheValidatorsCode()
    {
        var project = (await ConsoleStore.Client(_server).CreateProjectAsync(new CreateProjectRequest { ProjectName = "outside" })).ProjectArn!;
        var dataset = await ConsoleStore.DatasetAsync(_server, project, DatasetType.TRAIN, ConsoleStore.SceneManifest(_server, "outside", 1));
        var sourceRef = "s3://media/outside/red0.png";
        var (status, json) = await SendAsync(HttpMethod.Post, "entry", JsonSerializer.Serialize(new
        {
            dataset, sourceRef, labels = Array.Empty<string>(), boxes = new[] { new { label = "red", left = 300, top = 200, width = 100, height = 100 } },
        }));
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(json.GetProperty("code").GetString(), Is.EqualTo("InvalidParameterException"));
        Assert.That(json.GetProperty("message").GetString(), Does.StartWith("ERROR_"));
    }

    [Test]
    public async Task ANonImageUpload_ToTheQuickTest_GetsTheServicesImageError()
    {
        var version = "arn:aws:rekognition:us-east-1:123456789012:project/p/version/v/1";
        var (status, json) = await SendAsync(HttpMethod.Post, $"quicktest?version={Uri.EscapeDataString(version)}", "this is not an image");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(json.GetProperty("code").GetString(), Is.EqualTo("InvalidImageFormatException"));
    }

    [Test]
    public async Task OnlyImagesTheDatasetsEntriesName_CanBeRead()
    {
        var project = (await ConsoleStore.Client(_server).CreateProjectAsync(new CreateProjectRequest { ProjectName = "confined" })).ProjectArn!;
        var dataset = await ConsoleStore.DatasetAsync(_server, project, DatasetType.TRAIN, ConsoleStore.SceneManifest(_server, "confined", 1));
        _server.PutObject("media", "secret.png", ConsoleImages.Scene(SkiaSharp.SKColors.Black, 1));
        var ok = await _http.GetAsync($"/console/api/thumbnail?dataset={Uri.EscapeDataString(dataset)}&ref={Uri.EscapeDataString("s3://media/confined/red0.png")}");
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ok.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/jpeg"));
        foreach (var reference in new[] { "s3://media/secret.png", "s3://media/../store/catalog.db", "/etc/passwd" })
        {
            var (status, json) = await SendAsync(HttpMethod.Get, $"image?dataset={Uri.EscapeDataString(dataset)}&ref={Uri.EscapeDataString(reference)}", null);
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), reference);
            Assert.That(json.GetProperty("code").GetString(), Is.EqualTo("ResourceNotFoundException"), reference);
        }
    }

    private async Task<(HttpStatusCode Status, JsonElement Json)> SendAsync(HttpMethod method, string path, string? body, bool csrf = true, (string Name, string Value)[]? headers = null)
    {
        using var request = new HttpRequestMessage(method, "/console/api/" + path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (csrf && method != HttpMethod.Get)
        {
            request.Headers.Add("X-Rekognition-Console", "1");
        }

        foreach (var (name, value) in headers ?? [])
        {
            if (name == "Host")
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone());
    }
}
