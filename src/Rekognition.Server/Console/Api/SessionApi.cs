using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using static Rekognition.Server.Console.ConsoleHttp;

namespace Rekognition.Server.Console.Api;

/// <summary>Signing in and out of a console whose server has credentials.</summary>
internal sealed class SessionApi(RekognitionServerOptions options, ConsoleSession session)
{
    public Task StateAsync(HttpContext context) =>
        JsonAsync(context, new JsonObject { ["requiresSignIn"] = options.RequiresSignature, ["signedIn"] = session.IsSignedIn(context) });

    public async Task SignInAsync(HttpContext context)
    {
        var body = await BodyAsync(context).ConfigureAwait(false);
        if (!session.SignIn(context, String(body, "accessKeyId"), String(body, "secretAccessKey")))
        {
            await new ConsoleError(StatusCodes.Status403Forbidden, "AccessDeniedException", "The access key or the secret is not the server's.").WriteAsync(context).ConfigureAwait(false);
            return;
        }

        await JsonAsync(context, new JsonObject { ["signedIn"] = true }).ConfigureAwait(false);
    }

    public static Task SignOutAsync(HttpContext context)
    {
        ConsoleSession.SignOut(context);
        return JsonAsync(context, new JsonObject { ["signedIn"] = false });
    }
}
