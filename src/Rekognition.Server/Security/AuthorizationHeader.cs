namespace Rekognition.Server.Security;

/// <summary>
/// A parsed SigV4 <c>Authorization</c> header:
/// <c>AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/rekognition/aws4_request, SignedHeaders=a;b, Signature=hex</c>.
/// </summary>
internal sealed record AuthorizationHeader(
    string AccessKeyId,
    string Date,
    string Region,
    string Service,
    string Terminator,
    IReadOnlyList<string> SignedHeaders,
    string Signature)
{
    /// <summary>The header parsed, or null with <paramref name="error"/> saying what is wrong or missing.</summary>
    public static AuthorizationHeader? TryParse(string value, out string? error)
    {
        error = null;
        var trimmed = value.Trim();
        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        var algorithm = space < 0 ? trimmed : trimmed[..space];
        if (!string.Equals(algorithm, SigV4.Algorithm, StringComparison.Ordinal))
        {
            error = $"Unsupported signing algorithm '{algorithm}': sign requests with Signature Version 4 ({SigV4.Algorithm}).";
            return null;
        }

        string? credential = null, signedHeaders = null, signature = null;
        foreach (var part in trimmed[(space + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var key = part[..equals];
            var v = part[(equals + 1)..].Trim();
            switch (key)
            {
                case "Credential": credential = v; break;
                case "SignedHeaders": signedHeaders = v; break;
                case "Signature": signature = v; break;
            }
        }

        var missing = new List<string>();
        if (string.IsNullOrEmpty(credential))
        {
            missing.Add("Credential");
        }

        if (string.IsNullOrEmpty(signedHeaders))
        {
            missing.Add("SignedHeaders");
        }

        if (string.IsNullOrEmpty(signature))
        {
            missing.Add("Signature");
        }

        if (missing.Count > 0)
        {
            error = $"Authorization header requires {string.Join(", ", missing.Select(m => $"'{m}'"))} parameter(s). Authorization={trimmed}";
            return null;
        }

        var scope = credential!.Split('/');
        if (scope.Length != 5 || scope.Any(string.IsNullOrEmpty))
        {
            error = $"Credential '{credential}' must have the form <AccessKeyId>/<yyyyMMdd>/<region>/{SigV4.ServiceName}/{SigV4.Terminator}.";
            return null;
        }

        var headers = signedHeaders!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(h => h.ToLowerInvariant())
            .ToArray();
        return new AuthorizationHeader(scope[0], scope[1], scope[2], scope[3], scope[4], headers, signature!);
    }
}
