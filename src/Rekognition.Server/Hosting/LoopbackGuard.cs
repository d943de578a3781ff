using System.Net;
using Microsoft.Extensions.Configuration;

namespace Rekognition.Server.Hosting;

/// <summary>
/// Keeps an endpoint without credentials on this machine: tells loopback listen addresses from others,
/// and finds the addresses a host is configured to listen on.
/// </summary>
public static class LoopbackGuard
{
    /// <summary>
    /// Whether <paramref name="url"/> (<c>http://127.0.0.1:5000</c>, <c>http://localhost:0</c>,
    /// <c>http://[::1]:80</c>, <c>http://*:5000</c>, ...) listens on loopback only. Wildcards, any-address
    /// and other host names count as not loopback.
    /// </summary>
    public static bool IsLoopbackUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var text = url.Trim();
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        var rest = schemeEnd < 0 ? text : text[(schemeEnd + 3)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        string host;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            host = close < 0 ? authority : authority[1..close];
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>
    /// The URLs a web host built from <paramref name="configuration"/> will listen on, as far as
    /// configuration says: <c>urls</c> (<c>--urls</c>, <c>ASPNETCORE_URLS</c>), <c>http_ports</c> /
    /// <c>https_ports</c> (any address) and <c>Kestrel:Endpoints:*:Url</c>. Empty means Kestrel's default
    /// (<c>http://localhost:5000</c>).
    /// </summary>
    public static IReadOnlyList<string> ConfiguredUrls(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var urls = new List<string>();
        if (configuration["urls"] is { Length: > 0 } configured)
        {
            urls.AddRange(configured.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        foreach (var (key, scheme) in new[] { ("http_ports", "http"), ("https_ports", "https") })
        {
            if (configuration[key] is { Length: > 0 } ports)
            {
                urls.AddRange(ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"{scheme}://*:{p}"));
            }
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                urls.Add(url);
            }
        }

        return urls;
    }

    /// <summary>Throws with a message that says how to fix it when any of <paramref name="urls"/> is not loopback.</summary>
    public static void EnsureLoopbackOnly(IEnumerable<string> urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        var outside = urls.Where(u => !IsLoopbackUrl(u)).ToList();
        if (outside.Count > 0)
        {
            throw new InvalidOperationException(
                $"Refusing to listen on {string.Join(", ", outside)}: no credentials are configured, so the Rekognition endpoint accepts unsigned requests and must stay on loopback "
                + "(e.g. --urls http://127.0.0.1:5000). To listen on other addresses, set Rekognition:AccessKeyId and Rekognition:SecretAccessKey "
                + "(environment Rekognition__AccessKeyId / Rekognition__SecretAccessKey) so that every request must carry a SigV4 signature.");
        }
    }
}
