using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Rekognition.Core;
using Rekognition.Server.Json;
using Rekognition.Server.Protocol;
using Rekognition.Server.Tests.TestSupport;
using Rekognition.Testing.Fuzzing;

namespace Rekognition.Server.Tests.Fuzzing;

/// <summary>
/// The fuzz target of the JSON protocol: a request body for one operation (the input's group). In process,
/// the operation's reader must give a request or a <c>SerializationException</c> (400) and nothing else; over
/// HTTP, the server must answer 200 or a 4xx carrying the service's error code, never a 500, never a server path
/// or stack trace in the message.
/// </summary>
internal sealed class JsonProtocolFuzzCheck : IDisposable
{
    private static readonly IReadOnlyDictionary<string, Func<ReadOnlyMemory<byte>, object>> Readers =
        RekognitionOperations.All.ToDictionary(op => op.Key, op => ReaderFor(op.Value.RequestType), StringComparer.Ordinal);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _outcomes = new(StringComparer.Ordinal);
    private readonly HttpClient? _http;
    private readonly string? _serverRoot;
    private readonly (byte[] Placeholder, byte[] Arn)[] _targets = [];

    /// <summary>An in-process check only.</summary>
    public JsonProtocolFuzzCheck()
    {
    }

    private JsonProtocolFuzzCheck(string endpoint, string serverRoot, string projectArn, string datasetArn)
    {
        _http = new HttpClient { BaseAddress = new Uri(endpoint + "/"), Timeout = TimeSpan.FromSeconds(60) };
        _serverRoot = serverRoot;
        _targets =
        [
            (Encoding.UTF8.GetBytes(JsonProtocolSeeds.ProjectArnPlaceholder), Encoding.UTF8.GetBytes(projectArn)),
            (Encoding.UTF8.GetBytes(JsonProtocolSeeds.DatasetArnPlaceholder), Encoding.UTF8.GetBytes(datasetArn)),
        ];
    }

    /// <summary>
    /// A check over HTTP against <paramref name="server"/>, where it first creates the project and the (empty)
    /// training dataset that the seeds' ARN placeholders stand for.
    /// </summary>
    public static async Task<JsonProtocolFuzzCheck> OverHttpAsync(LocalServerFixture server)
    {
        using var client = new WireClient(server.Endpoint);
        var project = await client.SendAsync("RekognitionService.CreateProject", """{"ProjectName":"fuzz-target"}""");
        Assert.That(project.Status, Is.EqualTo(200), project.Body);
        var projectArn = project.Json.GetProperty("ProjectArn").GetString()!;
        var dataset = await client.SendAsync("RekognitionService.CreateDataset", JsonSerializer.Serialize(new { ProjectArn = projectArn, DatasetType = "TRAIN" }));
        Assert.That(dataset.Status, Is.EqualTo(200), dataset.Body);
        var datasetArn = dataset.Json.GetProperty("DatasetArn").GetString()!;
        var describe = JsonSerializer.Serialize(new { DatasetArn = datasetArn });
        for (var i = 0; i < 600; i++)
        {
            var status = (await client.SendAsync("RekognitionService.DescribeDataset", describe)).Json.GetProperty("DatasetDescription").GetProperty("Status").GetString();
            if (status != "CREATE_IN_PROGRESS")
            {
                Assert.That(status, Is.EqualTo("CREATE_COMPLETE"));
                return new JsonProtocolFuzzCheck(server.Endpoint, server.Root, projectArn, datasetArn);
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the empty fuzz dataset was not created within 30 s");
    }

    public void CheckInProcess(FuzzInput input)
    {
        object request;
        try
        {
            request = Readers[input.Group](input.Bytes);
        }
        catch (AmazonRekognitionException ex)
        {
            _outcomes.AddOrUpdate(ex.ErrorCode, 1, (_, n) => n + 1);
            FuzzAssertionException.That(ex.ErrorCode == ProtocolErrors.SerializationCode && ex.StatusCode == HttpStatusCode.BadRequest,
                $"{input.Group}: the reader threw {ex.ErrorCode} ({(int)ex.StatusCode}): {ex.Message}");
            CheckMessage(input.Group, ex.Message);
            return;
        }

        _outcomes.AddOrUpdate("read", 1, (_, n) => n + 1);
        FuzzAssertionException.That(request is not null && request.GetType() == RekognitionOperations.All[input.Group].RequestType,
            $"{input.Group}: the reader returned {request?.GetType().Name ?? "null"}");
    }

    public void CheckOverHttp(FuzzInput input)
    {
        var http = _http ?? throw new InvalidOperationException("no endpoint");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/");
        var bytes = input.Bytes;
        foreach (var (placeholder, arn) in _targets)
        {
            bytes = ReplaceAll(bytes, placeholder, arn);
        }

        // Some bodies go chunked (no Content-Length), as a streaming client sends them.
        request.Content = bytes.Length % 8 == 3
            ? new StreamContent(new MemoryStream(bytes))
            : new ByteArrayContent(bytes);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(WireResponses.ContentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", RekognitionOperations.TargetPrefix + input.Group);
        using var response = http.Send(request);
        var status = (int)response.StatusCode;
        var body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var text = Encoding.UTF8.GetString(body);
        FuzzAssertionException.That(status == 200 || status is >= 400 and < 500, $"{input.Group}: HTTP {status}: {text}");
        JsonElement json;
        try
        {
            using var document = JsonDocument.Parse(body);
            json = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new FuzzAssertionException($"{input.Group}: HTTP {status} with a body that is not JSON ({ex.Message}): {text}");
        }

        FuzzAssertionException.That(json.ValueKind == JsonValueKind.Object, $"{input.Group}: HTTP {status} with a non-object body: {text}");
        var code = response.Headers.TryGetValues(WireResponses.ErrorTypeHeader, out var values) ? values.Single() : null;
        _outcomes.AddOrUpdate($"{status} {code}", 1, (_, n) => n + 1);
        if (status == 200)
        {
            return;
        }

        FuzzAssertionException.That(!string.IsNullOrEmpty(code) && json.TryGetProperty("__type", out var type) && type.GetString() == code,
            $"{input.Group}: HTTP {status} without a matching error code (header {code}): {text}");
        FuzzAssertionException.That(response.Content.Headers.ContentType?.MediaType == WireResponses.ContentType, $"{input.Group}: HTTP {status} as {response.Content.Headers.ContentType}");
        CheckMessage(input.Group, json.TryGetProperty("Message", out var message) ? message.GetString() ?? "" : "");
    }

    private void CheckMessage(string operation, string message)
    {
        FuzzAssertionException.That(!message.Contains("   at ", StringComparison.Ordinal) && !message.Contains("Exception:", StringComparison.Ordinal),
            $"{operation}: a stack trace in the message: {message}");
        FuzzAssertionException.That(_serverRoot is null || !message.Contains(_serverRoot, StringComparison.Ordinal),
            $"{operation}: a server path in the message: {message}");
    }

    /// <summary>How often each answer came (e.g. "400 SerializationException"), most frequent first: shows how deep the inputs reach.</summary>
    public string Outcomes() => string.Join(", ", _outcomes.OrderByDescending(o => o.Value).Take(12).Select(o => $"{o.Key}: {o.Value}"));

    public void Dispose() => _http?.Dispose();

    private static byte[] ReplaceAll(byte[] bytes, byte[] find, byte[] with)
    {
        var at = bytes.AsSpan().IndexOf(find);
        if (at < 0)
        {
            return bytes;
        }

        var result = new List<byte>(bytes.Length + with.Length);
        var from = 0;
        while (at >= 0)
        {
            result.AddRange(bytes.AsSpan(from, at));
            result.AddRange(with);
            from += at + find.Length;
            at = bytes.AsSpan(from).IndexOf(find);
        }

        result.AddRange(bytes.AsSpan(from));
        return result.ToArray();
    }

    private static Func<ReadOnlyMemory<byte>, object> ReaderFor(Type requestType) =>
        (Func<ReadOnlyMemory<byte>, object>)typeof(JsonProtocolFuzzCheck).GetMethod(nameof(Reader), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(requestType).Invoke(null, null)!;

    private static Func<ReadOnlyMemory<byte>, object> Reader<T>()
        where T : class
    {
        var info = WireJson.TypeInfo<T>();
        return body => OperationHandler.ReadRequest(body.Span, info);
    }
}
