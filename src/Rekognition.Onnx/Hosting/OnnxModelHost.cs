using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;
using Rekognition.Imaging.Preprocessing;
using Rekognition.Onnx.Runtime;

namespace Rekognition.Onnx.Hosting;

/// <summary>
/// A model running on a pool of inference units. Each call decodes the image at the smallest scale that
/// covers the model's input (into a pooled buffer), takes a unit, writes the image straight into the unit's
/// bound input tensor, runs the session and reads the outputs with Core's decoders; the unit's buffers are
/// reused, so a call allocates little beyond its answer.
/// </summary>
internal sealed class OnnxModelHost : IModelHost
{
    private readonly InferenceUnitPool _pool;
    private readonly ModelPackageMetadata _metadata;
    private readonly IImageDecoder _decoder;
    private readonly TensorPreprocessor _preprocessor;

    private OnnxModelHost(InferenceUnitPool pool, ModelPackageMetadata metadata, IImageDecoder decoder, IReadOnlyList<string> providers)
    {
        _pool = pool;
        _metadata = metadata;
        _decoder = decoder;
        _preprocessor = new TensorPreprocessor(metadata.Input);
        ExecutionProviders = providers;
    }

    public int DesiredInferenceUnits => _pool.Desired;

    public int InServiceInferenceUnits => _pool.InService;

    /// <summary>The execution providers the sessions run on, the CPU last.</summary>
    public IReadOnlyList<string> ExecutionProviders { get; }

    /// <summary>Units created and not yet freed.</summary>
    internal int LiveUnits => _pool.Live;

    /// <summary>Chooses the providers, then loads the model on <paramref name="units"/>.Min units.</summary>
    public static async Task<OnnxModelHost> StartAsync(ModelPackage package, InferenceUnits units, OnnxRuntimeOptions options,
        IImageDecoder decoder, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        if (units.Min < 1 || units.Max < units.Min)
        {
            throw new ArgumentOutOfRangeException(nameof(units), units, "Inference units need 1 <= Min <= Max.");
        }

        var factory = OnnxSessionFactory.Create(options, options.ThreadsPerSession(units.Max), logger);
        var bytes = await File.ReadAllBytesAsync(package.ModelPath, cancellationToken).ConfigureAwait(false);
        var pool = await InferenceUnitPool.StartAsync(() => InferenceUnit.Create(factory, bytes, package.Metadata, package.ModelPath),
            units, options, time, logger, cancellationToken).ConfigureAwait(false);
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Model {Model} runs on {Units} inference unit(s) (up to {Max}) with {Providers}",
                package.ModelPath, units.Min, units.Max, string.Join(", ", factory.Providers));
        }
        return new OnnxModelHost(pool, package.Metadata, decoder, factory.Providers);
    }

    public ValueTask<IReadOnlyList<LabelPrediction>> DetectAsync(ReadOnlyMemory<byte> encodedImage, CancellationToken cancellationToken)
    {
        // A call already cancelled does not run, even when a unit is free and it would never wait.
        cancellationToken.ThrowIfCancellationRequested();
        _pool.Enter();
        PreparedImage image = default;
        var handedOver = false;
        try
        {
            // Decoding needs no session: it is done before taking a unit, so it overlaps other calls' runs.
            _pool.ThrowIfQueueFull();
            // RGBA, or a JPEG's raw YCbCr planes where the decoder gives them (the preprocessor converts at the input size).
            image = _preprocessor.Prepare(_decoder, encodedImage.Span);
            if (_pool.TryAcquire(out var unit))
            {
                return new ValueTask<IReadOnlyList<LabelPrediction>>(RunOn(unit, image));
            }

            handedOver = true;
            return WaitAndRunAsync(image, cancellationToken);
        }
        finally
        {
            if (!handedOver)
            {
                image.Dispose();
                _pool.Exit();
            }
        }
    }

    public ValueTask DisposeAsync() => _pool.DisposeAsync();

    private async ValueTask<IReadOnlyList<LabelPrediction>> WaitAndRunAsync(PreparedImage image, CancellationToken cancellationToken)
    {
        try
        {
            var unit = await _pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
            return RunOn(unit, image);
        }
        finally
        {
            image.Dispose();
            _pool.Exit();
        }
    }

    /// <summary>Runs one decoded image on a unit held by this call, and gives the unit back.</summary>
    private IReadOnlyList<LabelPrediction> RunOn(InferenceUnit unit, PreparedImage image)
    {
        try
        {
            var geometry = _preprocessor.Write(image, unit.Input);
            unit.Run();
            return PredictionReader.Read(unit, _metadata, geometry);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InternalServerErrorException($"The model failed to run: {ex.Message}", ex);
        }
        finally
        {
            _pool.Release(unit);
        }
    }
}
