using System.Net;
using System.Net.Sockets;

namespace Rekognition.Server.Hosting;

/// <summary>
/// The Host header check of an endpoint without credentials, against DNS rebinding: a web page whose
/// name was rebound to 127.0.0.1 reaches the loopback listener, but its requests still name the page's
/// host. Only <c>localhost</c>, <c>127.0.0.1</c> and <c>[::1]</c> (any port), and the configured
/// <see cref="RekognitionServerOptions.AllowedHosts"/>, are answered. Names compare exactly (ignoring
/// case): <c>localhost.</c> or <c>127.0.0.1.example</c> are other names.
/// </summary>
internal sealed class HostHeaderCheck
{
    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]"];

    private readonly List<(string Host, int? Port)> _allowed;

    /// <summary>A check that allows the loopback names and <paramref name="configured"/> (<c>host</c> for any port, or <c>host:port</c>).</summary>
    public HostHeaderCheck(IEnumerable<string> configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        _allowed = [.. LoopbackNames.Select(n => (n, (int?)null))];
        foreach (var entry in configured)
        {
            if (!TryParse(entry, out var host, out var port))
            {
                throw new ArgumentException(InvalidEntryMessage(entry), nameof(configured));
            }

            _allowed.Add((host, port));
        }
    }

    /// <summary>Whether a request whose Host header is <paramref name="hostHeader"/> may be answered. A missing Host is not.</summary>
    public bool Allows(string? hostHeader)
    {
        if (string.IsNullOrEmpty(hostHeader) || !TryParse(hostHeader, out var host, out var port))
        {
            return false;
        }

        return _allowed.Any(a => string.Equals(a.Host, host, StringComparison.OrdinalIgnoreCase) && (a.Port is null || a.Port == port));
    }

    /// <summary>The message for an entry of <see cref="RekognitionServerOptions.AllowedHosts"/> that is not <c>host</c> or <c>host:port</c>.</summary>
    public static string InvalidEntryMessage(string? entry) =>
        $"Rekognition:AllowedHosts entry '{entry}' is not a host name or host:port (e.g. rekognition.internal or rekognition.internal:8443; IPv6 addresses in brackets).";

    /// <summary>
    /// Splits <c>host[:port]</c>: a DNS name or IPv4 address (letters, digits, '-', '.', '_') or a bracketed
    /// IPv6 address (normalized, so <c>[0:0::1]</c> is <c>[::1]</c>), then an optional port 1..65535.
    /// </summary>
    internal static bool TryParse(string? value, out string host, out int? port)
    {
        host = string.Empty;
        port = null;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        string rest;
        if (value[0] == '[')
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !IPAddress.TryParse(value.AsSpan(1, close - 1), out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            host = "[" + address + "]";
            rest = value[(close + 1)..];
        }
        else
        {
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? value : value[..colon];
            rest = colon < 0 ? string.Empty : value[colon..];
            if (host.Length == 0 || !host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
            {
                return false;
            }
        }

        if (rest.Length == 0)
        {
            return true;
        }

        if (rest[0] != ':' || rest.Length is < 2 or > 6 || rest.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        var number = int.Parse(rest.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
        if (number is < 1 or > 65535)
        {
            return false;
        }

        port = number;
        return true;
    }
}
