using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Rekognition.Core.Catalog;

namespace Rekognition.Core.Retraining;

/// <summary>The retraining loop's registrations: its client, the check it runs and the host's periodic check.</summary>
internal static class RetrainingServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton(sp => sp.GetRequiredService<ICatalog>().Retraining);
        services.TryAddSingleton<PromotionGate>();
        services.TryAddSingleton<RetrainingRunner>();
        services.TryAddSingleton<IRetrainingClient, RetrainingClient>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RetrainingHostedService>());
    }
}
