using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rekognition.Core.Inference;
using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;
using Rekognition.Onnx.Runtime;
using Rekognition.Onnx.Validation;

namespace Rekognition.Onnx.Hosting;

/// <summary>
/// The ONNX Runtime inference backend of <see cref="Core.RekognitionCustomLabelsClient"/>: validates model
/// packages and runs started models on pools of sessions, one per inference unit.
/// </summary>
public sealed class OnnxModelRuntime : IModelRuntime
{
    private readonly OnnxRuntimeOptions _options;
    private readonly IImageDecoder _decoder;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;

    /// <summary>A runtime with <paramref name="options"/> and the default image decoder.</summary>
    public OnnxModelRuntime(OnnxRuntimeOptions? options = null)
        : this(Microsoft.Extensions.Options.Options.Create(options ?? new OnnxRuntimeOptions()))
    {
    }

    /// <summary>
    /// A runtime with its options, image decoder (null: <see cref="OnnxRuntimeOptions.ImageDecoder"/>'s choice), logging
    /// and clock (those left null get defaults).
    /// </summary>
    public OnnxModelRuntime(IOptions<OnnxRuntimeOptions> options, IImageDecoder? decoder = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _options.Validate();
        _decoder = decoder ?? new ImageDecoderFactory(_options.ImageDecoder).Decoder;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The options sessions are created with.</summary>
    public OnnxRuntimeOptions Options => _options;

    /// <inheritdoc />
    public void Validate(ModelPackage package) => OnnxModelValidator.Validate(package);

    /// <inheritdoc />
    public async Task<IModelHost> StartAsync(ModelPackage package, InferenceUnits units, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        return await OnnxModelHost.StartAsync(package, units, _options, _decoder, _time,
            _loggerFactory.CreateLogger<OnnxModelRuntime>(), cancellationToken).ConfigureAwait(false);
    }
}
