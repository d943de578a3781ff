using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Rekognition.Core;
using Rekognition.Server.Protocol;

namespace Rekognition.Server.Security;

/// <summary>
/// What the verifier needs of a request: method, decoded path, raw query, headers (<c>Header(name)</c>:
/// a header's values joined by commas, or null when absent; names case-insensitive) and the body bytes.
/// </summary>
internal sealed record SignedRequest(string Method, string Path, string? RawQuery, Func<string, string?> Header, ReadOnlyMemory<byte> Body);

/// <summary>
/// Checks AWS Signature Version 4 on requests against one configured credential: the credential scope
/// (service <c>rekognition</c>, the configured region if any), the signed headers (<c>host</c> always,
/// <c>x-amz-target</c> and <c>content-type</c> whenever the request carries them), the request time (within
/// <see cref="RekognitionServerOptions.MaxClockSkew"/> of now) and the signature itself (constant-time).
/// </summary>
internal sealed class SigV4Verifier
{
    private static readonly string[] MustBeSignedWhenPresent = ["x-amz-target", "content-type"];

    private readonly RekognitionServerOptions _options;
    private readonly TimeProvider _time;

    public SigV4Verifier(RekognitionServerOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.RequiresSignature)
        {
            throw new ArgumentException("SigV4 verification needs an access key id and a secret access key.", nameof(options));
        }

        _options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Null when the request is signed correctly, else the error to answer with.</summary>
    public AmazonRekognitionException? Verify(SignedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = request.Header("authorization");
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return ProtocolErrors.MissingAuthenticationToken();
        }

        var header = AuthorizationHeader.TryParse(authorization, out var parseError);
        if (header is null)
        {
            return ProtocolErrors.IncompleteSignature(parseError!);
        }

        if (!string.Equals(header.AccessKeyId, _options.AccessKeyId, StringComparison.Ordinal))
        {
            return ProtocolErrors.UnrecognizedClient();
        }

        if (!string.Equals(header.Service, SigV4.ServiceName, StringComparison.Ordinal) || !string.Equals(header.Terminator, SigV4.Terminator, StringComparison.Ordinal))
        {
            return ProtocolErrors.InvalidSignature($"Credential should be scoped to correct service: '{SigV4.ServiceName}'.");
        }

        if (_options.Region is { Length: > 0 } region && !string.Equals(header.Region, region, StringComparison.Ordinal))
        {
            return ProtocolErrors.InvalidSignature($"Credential should be scoped to a valid region: this server signs for '{region}', not '{header.Region}'.");
        }

        if (!header.SignedHeaders.Contains("host"))
        {
            return ProtocolErrors.InvalidSignature("The Host header must be signed (SignedHeaders must include 'host').");
        }

        // The operation and the body's media type are chosen by these headers: unsigned, a captured
        // request could be replayed as another operation within the time window (as AWS, they must be
        // signed whenever they are sent).
        foreach (var name in MustBeSignedWhenPresent)
        {
            if (request.Header(name) is not null && !header.SignedHeaders.Contains(name))
            {
                return ProtocolErrors.InvalidSignature($"The {name} header is present, so it must be signed (SignedHeaders must include '{name}').");
            }
        }

        var amzDate = request.Header("x-amz-date");
        if (string.IsNullOrWhiteSpace(amzDate))
        {
            return ProtocolErrors.IncompleteSignature("Authorization header requires existence of the 'X-Amz-Date' header.");
        }

        amzDate = amzDate.Trim();
        if (!DateTime.TryParseExact(amzDate, SigV4.DateTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return ProtocolErrors.IncompleteSignature($"X-Amz-Date '{amzDate}' is not of the form yyyyMMddTHHmmssZ.");
        }

        if (!amzDate.StartsWith(header.Date, StringComparison.Ordinal) || header.Date.Length != 8)
        {
            return ProtocolErrors.InvalidSignature(
                $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{header.Date}' != '{amzDate[..8]}', from '{amzDate}'.");
        }

        var now = _time.GetUtcNow().UtcDateTime;
        var skew = _options.MaxClockSkew;
        var minutes = skew.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture);
        if (signedAt < now - skew)
        {
            return ProtocolErrors.InvalidSignature(
                $"Signature expired: {amzDate} is now earlier than {Format(now - skew)} ({Format(now)} - {minutes} min.)");
        }

        if (signedAt > now + skew)
        {
            return ProtocolErrors.InvalidSignature(
                $"Signature not yet current: {amzDate} is still later than {Format(now + skew)} ({Format(now)} + {minutes} min.)");
        }

        var canonicalRequest = SigV4.CanonicalRequest(
            request.Method,
            SigV4.CanonicalUri(request.Path),
            SigV4.CanonicalQuery(request.RawQuery),
            header.SignedHeaders,
            request.Header,
            SigV4.HexSha256(request.Body.Span));
        var stringToSign = SigV4.StringToSign(amzDate, SigV4.CredentialScope(header.Date, header.Region, header.Service), canonicalRequest);
        var expected = SigV4.Signature(SigV4.SigningKey(_options.SecretAccessKey!, header.Date, header.Region, header.Service), stringToSign);
        var provided = header.Signature.ToLowerInvariant();
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(provided))
            ? null
            : ProtocolErrors.SignatureMismatch();
    }

    private static string Format(DateTime value) => value.ToString(SigV4.DateTimeFormat, CultureInfo.InvariantCulture);
}
