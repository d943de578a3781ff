using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Rekognition.Server.Security;

namespace Rekognition.Server.Tests.TestSupport;

/// <summary>Raw protocol requests over HttpClient, optionally signed with SigV4 (at a chosen time).</summary>
public sealed class WireClient(string endpoint) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(endpoint + "/") };

    public sealed record Answer(int Status, string Body, HttpResponseHeaders Headers, string? ContentType)
    {
        public JsonElement Json
        {
            get
            {
                using var document = JsonDocument.Parse(Body);
                return document.RootElement.Clone();
            }
        }

        public string? Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(',', values) : null;
    }

    /// <summary>The <c>host:port</c> the client sends in its Host header unless told otherwise.</summary>
    public string Authority => _http.BaseAddress!.Authority;

    /// <summary>
    /// POSTs <paramref name="body"/> with <paramref name="target"/>; <paramref name="headers"/> are added
    /// as given (a <c>Host</c> entry replaces the Host header).
    /// </summary>
    public async Task<Answer> SendAsync(string? target, string body, (string AccessKeyId, string Secret, DateTimeOffset At)? signAs = null, string region = "us-east-1",
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        if (target is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (signAs is { } sign)
        {
            var amzDate = sign.At.UtcDateTime.ToString(SigV4.DateTimeFormat, CultureInfo.InvariantCulture);
            var date = amzDate[..8];
            request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
            var host = request.Headers.TryGetValues("Host", out var hostValues) ? hostValues.First() : _http.BaseAddress!.Authority;
            var signedValues = new Dictionary<string, string>
            {
                ["content-type"] = "application/x-amz-json-1.1",
                ["host"] = host,
                ["x-amz-date"] = amzDate,
                ["x-amz-target"] = target ?? string.Empty,
            };
            string[] signed = ["content-type", "host", "x-amz-date", "x-amz-target"];
            var canonical = SigV4.CanonicalRequest("POST", "/", "", signed, n => signedValues.GetValueOrDefault(n), SigV4.HexSha256(bytes));
            var signature = SigV4.Signature(SigV4.SigningKey(sign.Secret, date, region),
                SigV4.StringToSign(amzDate, SigV4.CredentialScope(date, region), canonical));
            request.Headers.TryAddWithoutValidation("Authorization",
                $"AWS4-HMAC-SHA256 Credential={sign.AccessKeyId}/{date}/{region}/rekognition/aws4_request, SignedHeaders={string.Join(';', signed)}, Signature={signature}");
        }

        using var response = await _http.SendAsync(request);
        return new Answer((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers, response.Content.Headers.ContentType?.MediaType);
    }

    public void Dispose() => _http.Dispose();
}
