using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rekognition.Server.Console;
using Rekognition.Server.Console.Api;

namespace Rekognition.Server;

/// <summary>Maps the browser console onto an ASP.NET Core application.</summary>
public static class ConsoleEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the browser console at <c>/console/</c> (pages, scripts and styles embedded in this assembly) and its JSON
    /// API under <c>/console/api/</c>, over the registered clients. Access follows <see cref="RekognitionServerOptions"/>
    /// (bound from the <c>Rekognition</c> section, then <paramref name="configure"/>): without credentials only loopback
    /// callers naming an allowed Host; with credentials a session cookie (HttpOnly, SameSite=Strict, protected by ASP.NET
    /// Data Protection) made by signing in once with the access key and secret. Every state-changing call must carry the
    /// <c>X-Rekognition-Console: 1</c> header and come from the console's own origin. Errors are JSON
    /// <c>{"code", "message"}</c> with the service's code and HTTP status.
    /// </summary>
    public static IEndpointConventionBuilder MapRekognitionConsole(this IEndpointRouteBuilder endpoints, Action<RekognitionServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var options = RekognitionServerOptions.Resolve(services, configure);
        var logger = (services.GetService<ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger("Rekognition.Server.Console");
        var assets = new ConsoleAssets();
        // The clients are resolved at the first request, not here: resolving them validates the store's options, which
        // must fail when the host starts (as the service endpoint does), not while routes are mapped.
        var console = new Lazy<ConsoleServices>(() => new ConsoleServices(services, options));

        var group = endpoints.MapGroup("/console");
        RequestDelegate Guard(Func<ConsoleServices, HttpContext, Task> handler) => context => HandleAsync(context, console.Value, handler, logger);

        group.MapGet("/", Guard((_, c) => assets.ServeAsync(c, null)));
        group.MapGet("/{file}", Guard((_, c) => assets.ServeAsync(c, c.Request.RouteValues["file"] as string)));

        group.MapGet("/api/session", Guard((a, c) => a.SignIn.StateAsync(c)));
        group.MapPost("/api/session", Guard((a, c) => a.SignIn.SignInAsync(c)));
        group.MapDelete("/api/session", Guard((_, c) => SessionApi.SignOutAsync(c)));

        group.MapGet("/api/projects", Guard((a, c) => a.Projects.ListAsync(c)));
        group.MapPost("/api/projects", Guard((a, c) => a.Projects.CreateAsync(c)));
        group.MapPost("/api/projects/delete", Guard((a, c) => a.Projects.DeleteAsync(c)));
        group.MapGet("/api/dataset", Guard((a, c) => a.Projects.DescribeDatasetAsync(c)));
        group.MapPost("/api/datasets", Guard((a, c) => a.Projects.CreateDatasetAsync(c)));
        group.MapPost("/api/datasets/delete", Guard((a, c) => a.Projects.DeleteDatasetAsync(c)));

        group.MapGet("/api/entries", Guard((a, c) => a.Entries.ListAsync(c)));
        group.MapGet("/api/entry", Guard((a, c) => a.Entries.GetAsync(c)));
        group.MapPost("/api/entry", Guard((a, c) => a.Entries.SaveAsync(c)));
        group.MapPost("/api/entry/reject", Guard((a, c) => a.Entries.RejectAsync(c)));
        group.MapPost("/api/prelabel", Guard((a, c) => a.Entries.PreLabelAsync(c)));
        group.MapGet("/api/review", Guard((a, c) => a.Review.QueueAsync(c)));
        group.MapGet("/api/image", Guard((a, c) => a.Entries.ImageAsync(c)));
        group.MapGet("/api/thumbnail", Guard((a, c) => a.Entries.ThumbnailAsync(c)));

        group.MapGet("/api/labels", Guard((a, c) => a.Labels.ListAsync(c)));
        group.MapPost("/api/labels", Guard((a, c) => a.Labels.AddAsync(c)));
        group.MapPost("/api/labels/rename", Guard((a, c) => a.Labels.RenameAsync(c)));
        group.MapPost("/api/labels/merge", Guard((a, c) => a.Labels.MergeAsync(c)));
        group.MapPost("/api/labels/delete", Guard((a, c) => a.Labels.DeleteAsync(c)));
        group.MapGet("/api/export", Guard((a, c) => a.Labels.ExportAsync(c)));

        group.MapGet("/api/versions", Guard((a, c) => a.Versions.ListAsync(c)));
        group.MapPost("/api/versions", Guard((a, c) => a.Versions.TrainAsync(c)));
        group.MapPost("/api/versions/start", Guard((a, c) => a.Versions.StartAsync(c)));
        group.MapPost("/api/versions/stop", Guard((a, c) => a.Versions.StopAsync(c)));
        group.MapGet("/api/evaluation", Guard((a, c) => a.Versions.EvaluationAsync(c)));
        group.MapGet("/api/curves", Guard((a, c) => a.Versions.CurvesAsync(c)));
        group.MapPost("/api/quicktest", Guard((a, c) => a.Versions.QuickTestAsync(c)));
        group.MapGet("/api/billing", Guard((a, c) => a.Billing.VersionAsync(c)));
        group.MapGet("/api/retraining", Guard((a, c) => a.Retraining.GetAsync(c)));
        group.MapPost("/api/retraining", Guard((a, c) => a.Retraining.PutAsync(c)));
        group.MapPost("/api/retraining/check", Guard((a, c) => a.Retraining.CheckAsync(c)));

        return group;
    }

    /// <summary>Checks access, sets the console's security headers, runs the handler and turns its errors into the service's codes.</summary>
    private static async Task HandleAsync(HttpContext context, ConsoleServices console, Func<ConsoleServices, HttpContext, Task> handler, ILogger logger)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        if (context.Request.Path.StartsWithSegments("/console/api", StringComparison.Ordinal))
        {
            headers.CacheControl = "no-store";
        }

        if (console.Access.Check(context) is { } refusal)
        {
            await refusal.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        try
        {
            await handler(console, context).ConfigureAwait(false);
        }
        catch (AmazonServiceException ex) when (!context.Response.HasStarted)
        {
            var status = (int)ex.StatusCode is >= 400 and < 600 ? (int)ex.StatusCode : StatusCodes.Status400BadRequest;
            await new ConsoleError(status, ex.ErrorCode ?? ex.GetType().Name, ex.Message).WriteAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The page went away.
        }
        catch (Exception ex) when (!context.Response.HasStarted && ex is not OutOfMemoryException)
        {
            ConsoleLog.Failed(logger, context.Request.Path, ex);
            await new ConsoleError(StatusCodes.Status500InternalServerError, "InternalServerError", "The console could not do that; the server's log says why.").WriteAsync(context)
                .ConfigureAwait(false);
        }
    }
}
