using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using Rekognition.Core;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;
using Rekognition.Imaging.Preprocessing;
using Rekognition.Onnx.Hosting;
using Rekognition.Onnx.Runtime;

namespace Rekognition.Benchmarks.Inference;

/// <summary>
/// One image through MobileNetV2 (int8, batch 1, 2 intra-op threads): DetectCustomLabels on a model registered
/// with the client, the host alone, against a bare <c>session.Run</c> on the same preprocessed tensor, decoding
/// alone, preprocessing alone, and the three by hand. Target: DetectCustomLabels minus decoding minus session.Run at most
/// 10 % of session.Run. Spinning is off in every session: on a small machine a session's spinning workers slow the next step.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortConfig))]
public class InferenceOverheadBenchmarks
{
    private const int Threads = 2;
    private readonly SkiaImageDecoder _decoder = new();
    private string _store = null!;
    private byte[] _photo = null!;
    private BenchmarkStore _registered = null!;
    private RekognitionCustomLabelsClient _client = null!;
    private DetectCustomLabelsRequest _request = null!;
    private IModelHost _host = null!;
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private OrtValue _input = null!;
    private string[] _inputNames = null!;
    private string[] _outputNames = null!;
    private DecodedImage _decoded = null!;
    private TensorPreprocessor _preprocessor = null!;
    private float[] _tensor = null!;
    private IReadOnlyList<LabelPrediction> _predictions = null!;
    private ModelPackageMetadata _metadata = null!;

    [GlobalSetup]
    public void Setup()
    {
        _store = Path.Combine(Path.GetTempPath(), "rekognition-bench-" + Guid.NewGuid().ToString("N")[..8]);
        _photo = InferenceData.AntPhoto();
        var package = ModelPackage.Write(Path.Combine(_store, "package"), InferenceData.MobileNetV2, InferenceData.MobileNetMetadata());
        var options = new OnnxRuntimeOptions { IntraOpThreads = Threads, AllowThreadSpinning = false };

        // The client, with the model imported and started on one unit.
        _registered = new BenchmarkStore(Path.Combine(_store, "store"), new OnnxModelRuntime(options));
        _client = _registered.Client;
        var version = _registered.ImportAndStart(package);
        _request = new DetectCustomLabelsRequest { ProjectVersionArn = version, Image = new Image { Bytes = new MemoryStream(_photo) }, MaxResults = 5 };

        // The host alone.
        _host = new OnnxModelRuntime(options).StartAsync(package, new InferenceUnits(1, 1), CancellationToken.None).GetAwaiter().GetResult();

        // A bare session with the same settings, on the photo decoded and preprocessed once.
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = Threads, InterOpNumThreads = 1,
        };
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = new InferenceSession(package.ModelPath, sessionOptions);
        _runOptions = new RunOptions();
        _preprocessor = new TensorPreprocessor(package.Metadata.Input);
        _decoded = _decoder.Decode(_photo, 224, 224);
        _tensor = GC.AllocateArray<float>(_preprocessor.ElementsPerImage, pinned: true);
        _preprocessor.Write(_decoded, _tensor);
        _input = OrtValue.CreateTensorValueFromMemory(_tensor, [1, 3, 224, 224]);
        _metadata = package.Metadata;
        _predictions = _host.DetectAsync(_photo, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _inputNames = ["input"];
        _outputNames = ["output"];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _registered.Dispose();
        _input.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _decoded.Dispose();
        Directory.Delete(_store, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "session.Run (bare, preprocessed tensor)")]
    public float SessionRun()
    {
        using var outputs = _session.Run(_runOptions, _inputNames, [_input], _outputNames);
        return outputs[0].GetTensorDataAsSpan<float>()[0];
    }

    [Benchmark(Description = "decode only (scaled to 224)")]
    public int DecodeOnly()
    {
        using var image = _decoder.Decode(_photo, 224, 224);
        return image.Width;
    }

    [Benchmark(Description = "preprocess only (decoded image into the tensor)")]
    public float PreprocessOnly() => _preprocessor.Write(_decoded, _tensor).ScaleX;

    [Benchmark(Description = "by hand: decode + preprocess + session.Run")]
    public float ByHand()
    {
        using (var image = _decoder.Decode(_photo, 224, 224))
        {
            _preprocessor.Write(image, _tensor);
        }

        using var outputs = _session.Run(_runOptions, _inputNames, [_input], _outputNames);
        return outputs[0].GetTensorDataAsSpan<float>()[0];
    }

    [Benchmark(Description = "client's own work (image header check, confidence filter)")]
    public int ClientChecksAndFilter()
    {
        DetectionImageCheck.Check(_photo, new ManifestLimits());
        return CustomLabelFilter.Apply(_predictions, _metadata, null, 5).Count;
    }

    [Benchmark(Description = "IModelHost.DetectAsync")]
    public int HostDetect() => _host.DetectAsync(_photo, CancellationToken.None).AsTask().GetAwaiter().GetResult().Count;

    [Benchmark(Description = "DetectCustomLabels (client)")]
    public int DetectCustomLabels()
    {
        _request.Image!.Bytes!.Position = 0;
        return _client.DetectCustomLabelsAsync(_request).GetAwaiter().GetResult().CustomLabels.Count;
    }
}
