using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rekognition.Core;
using Rekognition.Server.Hosting;
using Rekognition.Server.Protocol;

namespace Rekognition.Server;

/// <summary>Maps the service's JSON wire protocol onto an ASP.NET Core application.</summary>
public static class RekognitionEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST /</c> to the Rekognition JSON protocol (awsJson 1.1, <c>X-Amz-Target:
    /// RekognitionService.&lt;Operation&gt;</c>) over the registered <see cref="IAmazonRekognition"/>.
    /// <see cref="RekognitionServerOptions"/> are bound from the <c>Rekognition</c> configuration section,
    /// then <paramref name="configure"/> runs. With credentials, every request must carry a valid SigV4
    /// signature; without, requests are accepted unsigned, only from loopback and only when their Host
    /// header names <c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c> or one of
    /// <see cref="RekognitionServerOptions.AllowedHosts"/> (others get 403 AccessDeniedException), and the
    /// application stops if it finds itself listening on another address.
    /// </summary>
    public static IEndpointConventionBuilder MapRekognitionCustomLabels(this IEndpointRouteBuilder endpoints, Action<RekognitionServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var options = RekognitionServerOptions.Resolve(services, configure);

        var logger = (services.GetService<ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
            .CreateLogger("Rekognition.Server");
        var endpoint = new RekognitionEndpoint(
            () => services.GetRequiredService<IAmazonRekognition>(),
            options,
            logger,
            RekognitionOperations.All,
            services.GetService<TimeProvider>());

        if (options.RequiresSignature)
        {
            ServerLog.SigningRequired(logger, options.AccessKeyId!, options.Region ?? "any");
        }
        else
        {
            ServerLog.Unsigned(logger);
            var lifetime = services.GetService<IHostApplicationLifetime>();
            var server = services.GetService<IServer>();
            lifetime?.ApplicationStarted.Register(() =>
            {
                var addresses = server?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
                var outside = addresses.Where(a => !LoopbackGuard.IsLoopbackUrl(a)).ToList();
                if (outside.Count > 0)
                {
                    ServerLog.NotLoopback(logger, outside);
                    lifetime.StopApplication();
                }
                else
                {
                    ServerLog.LoopbackOnly(logger, addresses);
                }
            });
        }

        return endpoints.MapPost("/", (RequestDelegate)endpoint.HandleAsync).WithDisplayName("Rekognition JSON protocol");
    }
}
