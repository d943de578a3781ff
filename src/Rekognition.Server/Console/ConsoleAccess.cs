using System.Net;
using Microsoft.AspNetCore.Http;
using Rekognition.Server.Hosting;

namespace Rekognition.Server.Console;

/// <summary>
/// Who may use the console. Without credentials: as the service endpoint, loopback callers naming an allowed Host only.
/// With credentials: a signed-in session (see <see cref="ConsoleSession"/>) for every API call but signing in. Always:
/// a state-changing call must carry <see cref="CsrfHeader"/> (a page of another site cannot set it without a CORS
/// preflight, which the console never answers) and, when the browser says where it comes from, come from this origin.
/// </summary>
internal sealed class ConsoleAccess(RekognitionServerOptions options, ConsoleSession session)
{
    /// <summary>The header every state-changing request must carry.</summary>
    public const string CsrfHeader = "X-Rekognition-Console";

    private readonly HostHeaderCheck _hosts = new(options.AllowedHosts);

    /// <summary>Null when the request may go on; otherwise the refusal (status, code, message).</summary>
    public ConsoleError? Check(HttpContext context)
    {
        var request = context.Request;
        if (!options.RequiresSignature)
        {
            var remote = context.Connection.RemoteIpAddress;
            if (remote is null || !IPAddress.IsLoopback(remote) || !_hosts.Allows(request.Host.Value))
            {
                return new ConsoleError(StatusCodes.Status403Forbidden, "AccessDeniedException",
                    "This console has no credentials configured, so it answers only this machine under localhost, 127.0.0.1 or [::1].");
            }
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            if (request.Headers[CsrfHeader] != "1")
            {
                return new ConsoleError(StatusCodes.Status403Forbidden, "AccessDeniedException", $"A change must come from the console page (the {CsrfHeader} header is missing).");
            }

            if (request.Headers.Origin is { Count: > 0 } origin && !string.Equals(origin.ToString(), $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase))
            {
                return new ConsoleError(StatusCodes.Status403Forbidden, "AccessDeniedException", "A change must come from the console's own page (cross-origin request refused).");
            }

            if (request.Headers["Sec-Fetch-Site"] is { Count: > 0 } site && site != "same-origin")
            {
                return new ConsoleError(StatusCodes.Status403Forbidden, "AccessDeniedException", "A change must come from the console's own page (cross-site request refused).");
            }
        }

        if (options.RequiresSignature && request.Path.StartsWithSegments("/console/api", StringComparison.Ordinal)
            && !request.Path.StartsWithSegments("/console/api/session", StringComparison.Ordinal) && !session.IsSignedIn(context))
        {
            return new ConsoleError(StatusCodes.Status401Unauthorized, "AccessDeniedException", "Sign in with the server's access key and secret first.");
        }

        return null;
    }
}
