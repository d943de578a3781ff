using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rekognition.Core;
using Rekognition.Core.EvaluationViews;
using Rekognition.Core.Editing;
using Rekognition.Core.Labeling;
using Rekognition.Core.QuickTest;
using Rekognition.Imaging.Decoding;
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
        var configuration = services.GetService<IConfiguration>();
        var options = configuration is null ? new RekognitionServerOptions() : RekognitionServerOptions.FromConfiguration(configuration);
        configure?.Invoke(options);
        options.Validate();
        var logger = (services.GetService<ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger("Rekognition.Server.Console");
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var session = new ConsoleSession(options, services.GetService<IDataProtectionProvider>() ?? KeysInStore(services), time);
        var access = new ConsoleAccess(options, session);
        var assets = new ConsoleAssets();

        var client = services.GetRequiredService<IAmazonRekognition>();
        var editor = services.GetRequiredService<IDatasetEditorClient>();
        var thumbnails = new Thumbnails(editor, services.GetService<IImageDecoderFactory>() ?? ImageDecoderFactory.Default);
        var projects = new ProjectsApi(client);
        var entries = new EntriesApi(editor, services.GetRequiredService<ILabelingClient>(), thumbnails, time);
        var labels = new LabelsApi(client, editor);
        var versions = new VersionsApi(client, services.GetRequiredService<IEvaluationViewClient>(), services.GetRequiredService<IQuickTestClient>());
        var signIn = new SessionApi(options, session);
        var review = new ReviewApi(client, editor);

        var group = endpoints.MapGroup("/console");
        RequestDelegate Guard(Func<HttpContext, Task> handler) => context => HandleAsync(context, access, handler, logger);

        group.MapGet("/", Guard(c => assets.ServeAsync(c, null)));
        group.MapGet("/{file}", Guard(c => assets.ServeAsync(c, c.Request.RouteValues["file"] as string)));

        group.MapGet("/api/session", Guard(signIn.StateAsync));
        group.MapPost("/api/session", Guard(signIn.SignInAsync));
        group.MapDelete("/api/session", Guard(SessionApi.SignOutAsync));

        group.MapGet("/api/projects", Guard(projects.ListAsync));
        group.MapPost("/api/projects", Guard(projects.CreateAsync));
        group.MapPost("/api/projects/delete", Guard(projects.DeleteAsync));
        group.MapGet("/api/dataset", Guard(projects.DescribeDatasetAsync));
        group.MapPost("/api/datasets", Guard(projects.CreateDatasetAsync));
        group.MapPost("/api/datasets/delete", Guard(projects.DeleteDatasetAsync));

        group.MapGet("/api/entries", Guard(entries.ListAsync));
        group.MapGet("/api/entry", Guard(entries.GetAsync));
        group.MapPost("/api/entry", Guard(entries.SaveAsync));
        group.MapPost("/api/entry/reject", Guard(entries.RejectAsync));
        group.MapPost("/api/prelabel", Guard(entries.PreLabelAsync));
        group.MapGet("/api/review", Guard(review.QueueAsync));
        group.MapGet("/api/image", Guard(entries.ImageAsync));
        group.MapGet("/api/thumbnail", Guard(entries.ThumbnailAsync));

        group.MapGet("/api/labels", Guard(labels.ListAsync));
        group.MapPost("/api/labels", Guard(labels.AddAsync));
        group.MapPost("/api/labels/rename", Guard(labels.RenameAsync));
        group.MapPost("/api/labels/merge", Guard(labels.MergeAsync));
        group.MapPost("/api/labels/delete", Guard(labels.DeleteAsync));
        group.MapGet("/api/export", Guard(labels.ExportAsync));

        group.MapGet("/api/versions", Guard(versions.ListAsync));
        group.MapPost("/api/versions", Guard(versions.TrainAsync));
        group.MapPost("/api/versions/start", Guard(versions.StartAsync));
        group.MapPost("/api/versions/stop", Guard(versions.StopAsync));
        group.MapGet("/api/evaluation", Guard(versions.EvaluationAsync));
        group.MapGet("/api/curves", Guard(versions.CurvesAsync));
        group.MapPost("/api/quicktest", Guard(versions.QuickTestAsync));

        return group;
    }

    /// <summary>Checks access, sets the console's security headers, runs the handler and turns its errors into the service's codes.</summary>
    private static async Task HandleAsync(HttpContext context, ConsoleAccess access, Func<HttpContext, Task> handler, ILogger logger)
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

        if (access.Check(context) is { } refusal)
        {
            await refusal.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        try
        {
            await handler(context).ConfigureAwait(false);
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

    /// <summary>Data Protection keys of their own beneath the store root, for a host that registered none.</summary>
    private static IDataProtectionProvider KeysInStore(IServiceProvider services)
    {
        var storeRoot = services.GetRequiredService<RekognitionOptions>().StoreRoot;
        return DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(storeRoot, "console-keys")), b => b.SetApplicationName("Rekognition.Server.Console"));
    }
}
