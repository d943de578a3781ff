using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rekognition.Server.Security;

/// <summary>
/// The pieces of AWS Signature Version 4 (<c>AWS4-HMAC-SHA256</c>): canonical request, string to sign,
/// signing key and signature. Shared by the verifier and by tests that sign requests themselves.
/// </summary>
internal static class SigV4
{
    /// <summary>The only algorithm SigV4 defines.</summary>
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The signing name of the service (its endpoint prefix: the model has no signingName).</summary>
    public const string ServiceName = "rekognition";

    /// <summary>The last element of every credential scope.</summary>
    public const string Terminator = "aws4_request";

    /// <summary>The format of <c>X-Amz-Date</c>: basic ISO 8601, UTC.</summary>
    public const string DateTimeFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>Lower-case hex SHA-256 of <paramref name="data"/>.</summary>
    public static string HexSha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>A header value in canonical form: trimmed, runs of spaces folded to one.</summary>
    public static string CanonicalHeaderValue(string value)
    {
        var trimmed = value.Trim();
        if (!trimmed.Contains("  ", StringComparison.Ordinal))
        {
            return trimmed;
        }

        var builder = new StringBuilder(trimmed.Length);
        var previousSpace = false;
        foreach (var c in trimmed)
        {
            if (c == ' ')
            {
                if (!previousSpace)
                {
                    builder.Append(c);
                }

                previousSpace = true;
            }
            else
            {
                builder.Append(c);
                previousSpace = false;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// The canonical request: method, canonical URI, canonical query, the headers named in
    /// <paramref name="signedHeaders"/> (lower-case names, sorted, <c>name:value</c> lines), the signed
    /// header list and the payload hash.
    /// </summary>
    /// <remarks><paramref name="headerValue"/> returns a header's value(s) joined by commas, or null when absent.</remarks>
    public static string CanonicalRequest(
        string method,
        string canonicalUri,
        string canonicalQuery,
        IReadOnlyList<string> signedHeaders,
        Func<string, string?> headerValue,
        string payloadHash)
    {
        var builder = new StringBuilder(256);
        builder.Append(method).Append('\n');
        builder.Append(canonicalUri).Append('\n');
        builder.Append(canonicalQuery).Append('\n');
        foreach (var name in signedHeaders)
        {
            builder.Append(name).Append(':').Append(CanonicalHeaderValue(headerValue(name) ?? string.Empty)).Append('\n');
        }

        builder.Append('\n');
        builder.Append(string.Join(';', signedHeaders)).Append('\n');
        builder.Append(payloadHash);
        return builder.ToString();
    }

    /// <summary>The credential scope <c>&lt;yyyyMMdd&gt;/&lt;region&gt;/&lt;service&gt;/aws4_request</c>.</summary>
    public static string CredentialScope(string date, string region, string service = ServiceName) =>
        $"{date}/{region}/{service}/{Terminator}";

    /// <summary>The string to sign: algorithm, request date-time, scope and hex SHA-256 of the canonical request.</summary>
    public static string StringToSign(string amzDate, string credentialScope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{credentialScope}\n{HexSha256(Encoding.UTF8.GetBytes(canonicalRequest))}";

    /// <summary>The signing key: HMACs of date, region, service and terminator, keyed from <c>AWS4</c> + secret.</summary>
    public static byte[] SigningKey(string secretAccessKey, string date, string region, string service = ServiceName)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Terminator));
    }

    /// <summary>The lower-case hex signature of <paramref name="stringToSign"/>.</summary>
    public static string Signature(byte[] signingKey, string stringToSign) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>
    /// The canonical query string of a raw query (<c>?a=1&amp;b=2</c> or without <c>?</c>): parameters
    /// sorted by name then value, each name and value URI-encoded as SigV4 requires.
    /// </summary>
    public static string CanonicalQuery(string? rawQuery)
    {
        if (string.IsNullOrEmpty(rawQuery) || rawQuery == "?")
        {
            return string.Empty;
        }

        var pairs = new List<(string Name, string Value)>();
        foreach (var part in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? string.Empty : part[(equals + 1)..];
            pairs.Add((UriEncode(Uri.UnescapeDataString(name)), UriEncode(Uri.UnescapeDataString(value.Replace('+', ' ')))));
        }

        pairs.Sort((a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', pairs.Select(p => p.Name + "=" + p.Value));
    }

    /// <summary>
    /// The canonical URI of a decoded path: each segment URI-encoded (non-S3 services encode the
    /// already-encoded path once more, which for unreserved characters is the same); empty is <c>/</c>.
    /// </summary>
    public static string CanonicalUri(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }

        var segments = path.Split('/');
        return string.Join('/', segments.Select(s => UriEncode(UriEncode(s))));
    }

    /// <summary>RFC 3986 encoding of everything but the unreserved characters, upper-case hex.</summary>
    public static string UriEncode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
