using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Rekognition.Core.Images;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;
using Rekognition.Imaging.Preprocessing;
using Rekognition.Onnx.Detection.Decoding;
using Rekognition.Onnx.Runtime;

namespace Rekognition.Onnx.Hosting;

/// <summary>
/// A model running on a pool of inference units. Each call decodes the image at the smallest scale that
/// covers the model's input (into a pooled buffer). With batching (a <see cref="OnnxRuntimeOptions.BatchWindow"/>
/// and a model whose batch axis is dynamic) it goes through the <see cref="RequestBatcher"/> (at once on a free unit,
/// or queued into the next batch while every unit is busy); otherwise it takes a
/// unit, writes the image straight into the unit's bound input tensor, runs the session and reads the outputs
/// with Core's decoders. Buffers are reused, so a call allocates little beyond its answer.
/// </summary>
internal sealed class OnnxModelHost : IModelHost
{
    private readonly InferenceUnitPool _pool;
    private readonly ModelPackageMetadata _metadata;
    private readonly IImageDecoder _decoder;
    private readonly TensorPreprocessor _preprocessor;
    private readonly TimeProvider _time;
    private readonly RequestBatcher? _batcher;
    private readonly ILogger _logger;

    private OnnxModelHost(InferenceUnitPool pool, ModelPackageMetadata metadata, IImageDecoder decoder, IReadOnlyList<string> providers,
        OnnxRuntimeOptions options, int maxBatch, TimeProvider time, ILogger logger)
    {
        _logger = logger;
        _pool = pool;
        _metadata = metadata;
        _decoder = decoder;
        _time = time;
        _preprocessor = new TensorPreprocessor(metadata.Input);
        ExecutionProviders = providers;
        if (maxBatch > 1)
        {
            _batcher = new RequestBatcher(pool, _preprocessor, metadata, maxBatch, options.QueueTimeout, options.QueueLengthPerUnit, time);
        }
    }

    public int DesiredInferenceUnits => _pool.Desired;

    public int InServiceInferenceUnits => _pool.InService;

    /// <summary>The execution providers the sessions run on, the CPU last.</summary>
    public IReadOnlyList<string> ExecutionProviders { get; }

    /// <summary>Units created and not yet freed.</summary>
    internal int LiveUnits => _pool.Live;

    /// <summary>Units freed after their model failed mid-run.</summary>
    internal int ReplacedUnits => _pool.Replaced;

    /// <summary>The most requests one run takes (1: every request runs on its own).</summary>
    internal int MaxBatch => _batcher?.MaxBatch ?? 1;

    /// <summary>The most requests one run has taken so far (0 before any batch ran; 0 without batching).</summary>
    internal int LargestBatch => _batcher?.LargestBatch ?? 0;

    /// <summary>The batcher, when requests are batched (tests watch its queue and hold its runs).</summary>
    internal RequestBatcher? Batcher => _batcher;

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
        // Every unit runs the same model, so each finds the same batch limit; the host batches only when it is above 1.
        var maxBatch = options.Batching ? options.MaxBatchSize : 1;
        var modelMaxBatch = maxBatch;
        var pool = await InferenceUnitPool.StartAsync(() =>
        {
            var unit = InferenceUnit.Create(factory, bytes, package.Metadata, package.ModelPath, maxBatch);
            Volatile.Write(ref modelMaxBatch, unit.MaxBatch);
            return unit;
        }, units, options, time, logger, cancellationToken).ConfigureAwait(false);
        if (logger.IsEnabled(LogLevel.Information))
        {
            var providers = string.Join(", ", factory.Providers);
            HostingLog.ModelStarted(logger, package.ModelPath, units.Min, units.Max, providers, modelMaxBatch);
        }

        return new OnnxModelHost(pool, package.Metadata, decoder, factory.Providers, options, Volatile.Read(ref modelMaxBatch), time, logger);
    }

    public ValueTask<IReadOnlyList<LabelPrediction>> DetectAsync(ReadOnlyMemory<byte> encodedImage, CancellationToken cancellationToken) =>
        DetectAsync(encodedImage, null, cancellationToken);

    // The client's probed header is handed to the decoder, so a call reads the header once.
    public ValueTask<IReadOnlyList<LabelPrediction>> DetectAsync(ReadOnlyMemory<byte> encodedImage, ImageInfo header, CancellationToken cancellationToken) =>
        DetectAsync(encodedImage, (ImageInfo?)header, cancellationToken);

    private ValueTask<IReadOnlyList<LabelPrediction>> DetectAsync(ReadOnlyMemory<byte> encodedImage, ImageInfo? header, CancellationToken cancellationToken)
    {
        // A call already cancelled does not run, even when a unit is free and it would never wait.
        cancellationToken.ThrowIfCancellationRequested();
        _pool.Enter();
        var arrival = _time.GetTimestamp();
        PreparedImage image = default;
        var handedOver = false;
        try
        {
            // Decoding needs no session: it is done before taking a unit, so it overlaps other calls' runs.
            if (_batcher is not null)
            {
                _batcher.ThrowIfQueueFull();
            }
            else
            {
                _pool.ThrowIfQueueFull();
            }

            // RGBA, or a JPEG's raw YCbCr planes where the decoder gives them (the preprocessor converts at the input size).
            image = _preprocessor.Prepare(_decoder, encodedImage.Span, header);
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                LogDecoded(image);
            }

            if (_batcher is not null)
            {
                handedOver = true; // the batcher disposes the image and gives the request's count back
                return new ValueTask<IReadOnlyList<LabelPrediction>>(_batcher.Enqueue(image, arrival, cancellationToken));
            }

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

    public async ValueTask DisposeAsync()
    {
        // The pool waits for every request, batched ones included, before the batch buffers go.
        await _pool.DisposeAsync().ConfigureAwait(false);
        _batcher?.Dispose();
    }

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

    /// <summary>Runs one decoded image on a unit held by this call, and gives the unit back (or replaces it when the model failed).</summary>
    private IReadOnlyList<LabelPrediction> RunOn(InferenceUnit unit, PreparedImage image)
    {
        InputGeometry geometry;
        try
        {
            geometry = _preprocessor.Write(image, unit.Input);
        }
        catch
        {
            _pool.Release(unit);
            throw;
        }

        try
        {
            unit.Run();
        }
        catch (OnnxRuntimeException ex)
        {
            HostingLog.RunFailed(_logger, ex);
            _pool.Replace(unit);
            throw new InternalServerErrorException($"The model failed to run: {ex.Message}", ex);
        }

        try
        {
            return PredictionReader.Read(unit, _metadata, geometry);
        }
        finally
        {
            _pool.Release(unit);
        }
    }

    private void LogDecoded(PreparedImage image)
    {
        var (width, height, decoding) = image.Planes is { } planes
            ? (planes.SourceWidth, planes.SourceHeight, "YCbCr planes")
            : (image.Pixels!.SourceWidth, image.Pixels.SourceHeight, "RGBA");
        HostingLog.Decoded(_logger, width, height, decoding);
    }
}
