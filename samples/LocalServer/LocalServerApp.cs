using Rekognition.Core;
using Rekognition.Server;
using Rekognition.Server.Hosting;

namespace Rekognition.Samples.LocalServer;

/// <summary>
/// The local Rekognition Custom Labels HTTP host: the embedded store, the service's JSON protocol on
/// <c>POST /</c>, and a shutdown that waits for running work. Configured through the <c>Rekognition</c>
/// section (<c>Rekognition__StoreRoot</c>, <c>Rekognition__BucketsRoot</c>, <c>Rekognition__AccessKeyId</c>,
/// <c>Rekognition__SecretAccessKey</c>, or <c>--Rekognition:StoreRoot=...</c> on the command line).
/// </summary>
public static class LocalServerApp
{
    /// <summary>
    /// Builds the host from command-line <paramref name="args"/>; <paramref name="configure"/> may add
    /// configuration or services first (tests use it). Throws when no credentials are configured and a
    /// configured URL is not loopback.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        var serverOptions = RekognitionServerOptions.FromConfiguration(builder.Configuration);
        serverOptions.Validate();
        if (!serverOptions.RequiresSignature)
        {
            LoopbackGuard.EnsureLoopbackOnly(LoopbackGuard.ConfiguredUrls(builder.Configuration));
        }

        builder.Services.AddRekognitionCustomLabels(builder.Configuration);
        builder.Services.AddRekognitionOnnxRuntime(builder.Configuration);
        builder.Services.AddRekognitionTraining(builder.Configuration);
        // Available, used when Rekognition__Catalog__Provider=PostgreSQL (with Rekognition__Catalog__ConnectionString).
        builder.Services.AddRekognitionPostgreSql();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        var app = builder.Build();
        app.MapRekognitionCustomLabels();
        app.MapRekognitionConsole();

        // Graceful shutdown: once requests have drained, dispose the client, which cancels and awaits
        // its background operations (imports, and later trainings and running models) before the store closes.
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Rekognition.LocalServer");
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            ShutdownLog.Stopping(logger);
            app.Services.GetRequiredService<RekognitionCustomLabelsClient>().DisposeAsync().AsTask().GetAwaiter().GetResult();
            ShutdownLog.Stopped(logger);
        });
        return app;
    }
}

internal static partial class ShutdownLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Shutting down: stopping background operations and running models")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Background operations stopped; the store is closed")]
    public static partial void Stopped(ILogger logger);
}
