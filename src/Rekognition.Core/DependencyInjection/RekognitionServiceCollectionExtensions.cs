using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Rekognition.Core;

/// <summary>Registers the local Custom Labels service with a host's dependency injection.</summary>
public static class RekognitionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IAmazonRekognition"/> (a singleton <see cref="RekognitionCustomLabelsClient"/>)
    /// and its <see cref="RekognitionOptions"/>, configured by <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddRekognitionCustomLabels(this IServiceCollection services, Action<RekognitionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RekognitionOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new RekognitionCustomLabelsClient(
            sp.GetRequiredService<IOptions<RekognitionOptions>>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<Inference.IModelRuntime>(),
            sp.GetService<Training.IModelTrainer>()));
        services.TryAddSingleton<IAmazonRekognition>(sp => sp.GetRequiredService<RekognitionCustomLabelsClient>());
        return services;
    }

    /// <summary>
    /// As <see cref="AddRekognitionCustomLabels(IServiceCollection, Action{RekognitionOptions})"/>, with the
    /// options bound from <paramref name="configuration"/>'s <c>Rekognition</c> section first.
    /// </summary>
    public static IServiceCollection AddRekognitionCustomLabels(this IServiceCollection services, IConfiguration configuration, Action<RekognitionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RekognitionOptions>().Bind(configuration.GetSection(RekognitionOptions.SectionName));
        return services.AddRekognitionCustomLabels(configure);
    }
}
