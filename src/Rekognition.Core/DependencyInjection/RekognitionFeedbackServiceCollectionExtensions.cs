using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rekognition.Core;
using Rekognition.Core.Feedback;
using Rekognition.Core.Inference;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers feedback recording around the inference runtime a host registered.</summary>
public static class RekognitionFeedbackServiceCollectionExtensions
{
    /// <summary>
    /// Wraps the registered <see cref="IModelRuntime"/> in a <see cref="FeedbackRecordingRuntime"/>, so that
    /// versions whose recording is on (<see cref="IFeedbackClient.SetFeedbackRecordingAsync"/>)
    /// keep the images they analyse. Call it after the runtime's registration (e.g. AddRekognitionOnnxRuntime).
    /// </summary>
    /// <exception cref="InvalidOperationException">No inference runtime is registered yet.</exception>
    public static IServiceCollection AddRekognitionFeedbackRecording(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IModelRuntime) && !d.IsKeyedService)
                         ?? throw new InvalidOperationException(
                             "No IModelRuntime is registered: register the inference runtime (e.g. services.AddRekognitionOnnxRuntime()) before AddRekognitionFeedbackRecording().");
        // Called twice, it would record every image twice: the marker says the runtime is wrapped already.
        if (services.Any(d => d.ServiceType == typeof(FeedbackRecordingRegistered)))
        {
            return services;
        }

        services.AddSingleton<FeedbackRecordingRegistered>();
        services.Remove(registered);
        services.Add(new ServiceDescriptor(typeof(IModelRuntime), sp => new FeedbackRecordingRuntime(
            Inner(registered, sp),
            sp.GetRequiredService<IOptions<RekognitionOptions>>(),
            sp.GetService<ILogger<FeedbackRecordingRuntime>>(),
            sp.GetService<TimeProvider>()), registered.Lifetime));
        return services;
    }

    private static IModelRuntime Inner(ServiceDescriptor registered, IServiceProvider services) => (IModelRuntime)(
        registered.ImplementationInstance
        ?? registered.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, registered.ImplementationType!));
}
