using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace Rekognition.Server.Console;

/// <summary>
/// The signed-in session of a server with credentials: after the access key and secret are checked once, an HttpOnly,
/// SameSite=Strict cookie protected by ASP.NET Data Protection (encrypted and signed) names the key and when it expires.
/// </summary>
internal sealed class ConsoleSession(RekognitionServerOptions options, IDataProtectionProvider protection, TimeProvider time)
{
    /// <summary>The cookie's name.</summary>
    public const string CookieName = "rk-console";

    /// <summary>How long a session lasts.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly IDataProtector _protector = protection.CreateProtector("Rekognition.Server.Console.Session.v1");

    /// <summary>Whether the request carries a valid, unexpired session for the configured key.</summary>
    public bool IsSignedIn(HttpContext context)
    {
        if (!options.RequiresSignature)
        {
            return true;
        }

        if (!context.Request.Cookies.TryGetValue(CookieName, out var cookie) || string.IsNullOrEmpty(cookie))
        {
            return false;
        }

        try
        {
            var parts = _protector.Unprotect(cookie).Split('\n');
            return parts.Length == 2
                   && string.Equals(parts[0], options.AccessKeyId, StringComparison.Ordinal)
                   && long.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var expires)
                   && time.GetUtcNow().ToUnixTimeSeconds() < expires;
        }
        catch (CryptographicException)
        {
            return false; // tampered with, or made with keys this server no longer has
        }
    }

    /// <summary>Checks the credential (in constant time) and sets the session cookie; false when it is not the configured one.</summary>
    public bool SignIn(HttpContext context, string? accessKeyId, string? secretAccessKey)
    {
        if (!options.RequiresSignature)
        {
            return true;
        }

        var keyMatches = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(accessKeyId ?? string.Empty), Encoding.UTF8.GetBytes(options.AccessKeyId!));
        var secretMatches = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secretAccessKey ?? string.Empty), Encoding.UTF8.GetBytes(options.SecretAccessKey!));
        if (!(keyMatches & secretMatches))
        {
            return false;
        }

        var expires = time.GetUtcNow() + Lifetime;
        var value = _protector.Protect(options.AccessKeyId + "\n" + expires.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        context.Response.Cookies.Append(CookieName, value, Cookie(context, expires));
        return true;
    }

    /// <summary>Ends the session (the cookie is cleared).</summary>
    public static void SignOut(HttpContext context) => context.Response.Cookies.Delete(CookieName, Cookie(context, null));

    private static CookieOptions Cookie(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/console",
        Expires = expires,
        IsEssential = true,
    };
}
