using System.Text.Json;
using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Server.Tests.Properties;

/// <summary>What every answer to a generated request must satisfy.</summary>
public static class AnswerRules
{
    /// <summary>
    /// Codes any operation may answer besides its modeled errors: the protocol's and authentication's
    /// (which the model leaves out) and <c>ValidationException</c>, which AWS JSON services use for
    /// constraint violations.
    /// </summary>
    public static readonly IReadOnlySet<string> CommonErrors = new HashSet<string>
    {
        "ValidationException", "SerializationException", "UnknownOperationException", "AccessDeniedException", "ThrottlingException",
        "MissingAuthenticationTokenException", "InvalidSignatureException", "IncompleteSignatureException", "UnrecognizedClientException",
    };

    /// <summary>
    /// Fails unless the answer is a 200 with a JSON object, or a 4xx whose <c>__type</c> (and
    /// <c>x-amzn-ErrorType</c>) is one of <paramref name="operation"/>'s modeled errors or a common one.
    /// Never a 5xx, whose code is InternalServerError and which SDKs retry.
    /// </summary>
    public static void AssertNotAServerError(ApiModel.Operation operation, WireRequest request, WireClient.Answer answer)
    {
        var what = $"{request} answered {answer.Status}: {answer.Body}";
        if (answer.Status >= 500)
        {
            Assert.Fail($"5xx: {what}");
        }

        if (answer.Status == 200)
        {
            Assert.That(Parse(answer.Body, what).ValueKind, Is.EqualTo(JsonValueKind.Object), what);
            return;
        }

        Assert.That(answer.Status, Is.InRange(400, 499), what);
        var code = Parse(answer.Body, what).TryGetProperty("__type", out var type) ? type.GetString() : null;
        Assert.That(code, Is.Not.Null.And.Not.EqualTo("InternalServerError"), what);
        Assert.That(operation.Errors.Contains(code!) || CommonErrors.Contains(code!), Is.True, $"{code} is not an error of {operation.Name}: {what}");
        Assert.That(answer.Header("x-amzn-ErrorType"), Is.EqualTo(code), what);
    }

    private static JsonElement Parse(string body, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            Assert.Fail($"not JSON: {what}");
            throw;
        }
    }
}
