using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rekognition.Core.Inference;
using Rekognition.Imaging.Decoding;
using Rekognition.Onnx.Hosting;
using Rekognition.Onnx.Runtime;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the ONNX Runtime inference backend with a host's dependency injection.</summary>
public static class OnnxServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="OnnxModelRuntime"/> as the <see cref="IModelRuntime"/> the client starts models
    /// with, the image decoder (<see cref="AddRekognitionImageDecoder"/>: unless another <see cref="IImageDecoder"/> is registered, the one
    /// <see cref="OnnxRuntimeOptions.ImageDecoder"/> names, by default the fastest present: the system's libjpeg-turbo
    /// for JPEG when it is installed, then SkiaSharp, then the fully managed ImageSharp), and
    /// <see cref="OnnxRuntimeOptions"/> configured by <paramref name="configure"/>. Order with
    /// AddRekognitionCustomLabels does not matter.
    /// </summary>
    public static IServiceCollection AddRekognitionOnnxRuntime(this IServiceCollection services, Action<OnnxRuntimeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<OnnxRuntimeOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddRuntime(services, options);
    }

    /// <summary>
    /// As <see cref="AddRekognitionOnnxRuntime(IServiceCollection, Action{OnnxRuntimeOptions})"/>, with the options bound from
    /// <paramref name="configuration"/>'s <c>Rekognition:Onnx</c> section (<c>ExecutionProviders</c>, <c>MissingProvider</c>,
    /// <c>DeviceId</c>, <c>IntraOpThreads</c>, <c>BatchWindow</c>, <c>MaxBatchSize</c>, <c>ImageDecoder</c>, ...), e.g. <c>Rekognition__Onnx__ExecutionProviders__0=CUDA</c>.
    /// </summary>
    public static IServiceCollection AddRekognitionOnnxRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddRuntime(services, services.AddOptions<OnnxRuntimeOptions>().Bind(configuration.GetSection(OnnxRuntimeOptions.SectionName)));
    }

    /// <summary>
    /// Registers the one <see cref="IImageDecoderFactory"/> training and serving share (unless one is registered): the
    /// decoder <see cref="OnnxRuntimeOptions.ImageDecoder"/> names (<c>Rekognition:Onnx:ImageDecoder</c>), by default the
    /// fastest present; and its decoder as the <see cref="IImageDecoder"/> (unless one is registered, which then wins).
    /// Called by <see cref="AddRekognitionOnnxRuntime(IServiceCollection, Action{OnnxRuntimeOptions})"/> and by
    /// <c>AddRekognitionTraining</c>; calling it twice registers nothing more.
    /// </summary>
    public static IServiceCollection AddRekognitionImageDecoder(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<OnnxRuntimeOptions>();
        // The system's libjpeg-turbo decodes JPEG with SIMD where SkiaSharp's bundled copy has none; used when present.
        services.TryAddSingleton<IImageDecoderFactory>(sp => new ImageDecoderFactory(sp.GetRequiredService<IOptions<OnnxRuntimeOptions>>().Value.ImageDecoder));
        services.TryAddSingleton<IImageDecoder>(sp => sp.GetRequiredService<IImageDecoderFactory>().Decoder);
        return services;
    }

    private static IServiceCollection AddRuntime(IServiceCollection services, OptionsBuilder<OnnxRuntimeOptions> options)
    {
        // Checked when the host starts (and on first use without a host), with the options' own messages.
        options.Validate(o =>
        {
            o.Validate();
            return true;
        }).ValidateOnStart();
        services.AddRekognitionImageDecoder();
        services.TryAddSingleton(sp => new OnnxModelRuntime(
            sp.GetRequiredService<IOptions<OnnxRuntimeOptions>>(),
            sp.GetRequiredService<IImageDecoder>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IModelRuntime>(sp => sp.GetRequiredService<OnnxModelRuntime>());
        return services;
    }
}
