using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;
using Rekognition.Imaging.Preprocessing;
using Rekognition.Onnx.Detection.Decoding;
using Rekognition.Onnx.Hosting;
using Rekognition.Onnx.Runtime;
using Rekognition.Onnx.Validation;

namespace Rekognition.Onnx.Detection;

/// <summary>
/// An <see cref="IDetector"/> on one ONNX Runtime session with bound, reused tensors: for hot loops, a call
/// allocates only its answer. Calls are serialized; for concurrent callers start the model with the client
/// on several inference units, or use one detector per thread.
/// </summary>
public sealed class OnnxDetector : IDetector
{
    private readonly InferenceUnit _unit;
    private readonly IImageDecoder _decoder;
    private readonly TensorPreprocessor _preprocessor;
    private readonly float[] _probabilities;
    private readonly ScoreDecoder.ProbabilityRow _scores;
    private readonly Lock _gate = new();
    private bool _disposed;

    private OnnxDetector(ModelPackage package, InferenceUnit unit, IImageDecoder decoder, IReadOnlyList<string> providers)
    {
        Metadata = package.Metadata;
        _unit = unit;
        _decoder = decoder;
        _preprocessor = new TensorPreprocessor(Metadata.Input);
        _probabilities = new float[Metadata.Labels.Count];
        _scores = new ScoreDecoder.ProbabilityRow(_probabilities);
        ExecutionProviders = providers;
    }

    /// <summary>The model package's metadata (labels, input, output).</summary>
    public ModelPackageMetadata Metadata { get; }

    /// <summary>The execution providers the session runs on, the CPU last.</summary>
    public IReadOnlyList<string> ExecutionProviders { get; }

    /// <summary>Loads the model package in <paramref name="directory"/> (model.onnx and model.json).</summary>
    /// <exception cref="InvalidParameterException">The package is missing, invalid, or its ONNX file does not fit its metadata.</exception>
    public static OnnxDetector Load(string directory, OnnxRuntimeOptions? options = null, IImageDecoder? decoder = null, ILogger? logger = null) =>
        Load(ModelPackage.Load(directory), options, decoder, logger);

    /// <summary>Loads <paramref name="package"/> on one session, its intra-op threads as the options say (all cores by default).</summary>
    public static OnnxDetector Load(ModelPackage package, OnnxRuntimeOptions? options = null, IImageDecoder? decoder = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        options ??= new OnnxRuntimeOptions();
        OnnxModelValidator.Validate(Ir.OnnxModelFile.Read(package.ModelPath), package.Metadata, package.ModelPath);
        var factory = OnnxSessionFactory.Create(options, options.ThreadsPerSession(1), logger ?? NullLogger.Instance);
        var unit = InferenceUnit.Create(factory, File.ReadAllBytes(package.ModelPath), package.Metadata, package.ModelPath);
        return new OnnxDetector(package, unit, decoder ?? ImageDecoderFactory.Default.Decoder, factory.Providers);
    }

    /// <summary>Decodes an encoded JPEG or PNG image and returns its labels, as DetectCustomLabels does.</summary>
    public IReadOnlyList<DetectedLabel> Detect(ReadOnlySpan<byte> encodedImage, float? minConfidence = null, int? maxResults = null)
    {
        var (width, height) = TensorPreprocessor.DecodeTarget(Metadata.Input);
        using var image = _decoder.Decode(encodedImage, width, height);
        return Detect(image, minConfidence, maxResults);
    }

    /// <summary>Reads an encoded JPEG or PNG image from a stream and returns its labels, as DetectCustomLabels does.</summary>
    public IReadOnlyList<DetectedLabel> Detect(Stream image, float? minConfidence = null, int? maxResults = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        var buffer = ArrayPool<byte>.Shared.Rent(image.CanSeek ? (int)Math.Max(1, image.Length - image.Position) : 1 << 16);
        try
        {
            var length = 0;
            int read;
            while ((read = image.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            return Detect(buffer.AsSpan(0, length), minConfidence, maxResults);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Returns the labels of an image already decoded at the model's decode size.</summary>
    public IReadOnlyList<DetectedLabel> Detect(DecodedImage image, float? minConfidence = null, int? maxResults = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (minConfidence is { } min && (float.IsNaN(min) || min < 0 || min > 100))
        {
            throw new InvalidParameterException($"minConfidence must be between 0 and 100 (got {min}).");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(maxResults ?? 0, nameof(maxResults));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var geometry = _preprocessor.Write(image, _unit.Input);
            try
            {
                _unit.Run();
            }
            catch (OnnxRuntimeException ex)
            {
                throw new InternalServerErrorException($"The model failed to run: {ex.Message}", ex);
            }

            // The client's filter, so a detector loaded directly answers as DetectCustomLabels does.
            return CustomLabelFilter.Apply(Predictions(geometry), Metadata, minConfidence, maxResults,
                static (name, confidence, box) => new DetectedLabel(name, confidence, box));
        }
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _unit.Dispose();
            }
        }
    }

    // Image-level scores into the reused row (one float per label, nothing allocated); boxes through the host's reader.
    private IReadOnlyList<LabelPrediction> Predictions(InputGeometry geometry)
    {
        if (Metadata.Output.Format is OutputFormat.Probabilities or OutputFormat.Logits)
        {
            ScoreDecoder.Probabilities(_unit.Output(0), Metadata.Kind, Metadata.Output.Format, _probabilities);
            return _scores;
        }

        return PredictionReader.Read(_unit, Metadata, geometry);
    }
}
