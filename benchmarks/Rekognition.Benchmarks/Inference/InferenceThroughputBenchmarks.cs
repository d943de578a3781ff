using BenchmarkDotNet.Attributes;
using Rekognition.Core;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Onnx.Hosting;
using Rekognition.Onnx.Runtime;

namespace Rekognition.Benchmarks.Inference;

/// <summary>
/// End-to-end DetectCustomLabels throughput with MobileNetV2 on 1 or 2 inference units, four concurrent callers:
/// the mean is per image, so images/s = 1 s / mean. Threads per session: the machine's cores divided by the units.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortConfig))]
public class InferenceThroughputBenchmarks
{
    private const int Callers = 4;
    private const int ImagesPerCaller = 8;
    private string _store = null!;
    private byte[] _photo = null!;
    private BenchmarkStore _registered = null!;
    private RekognitionCustomLabelsClient _client = null!;
    private string _version = null!;

    [Params(1, 2)]
    public int Units { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _store = Path.Combine(Path.GetTempPath(), "rekognition-bench-" + Guid.NewGuid().ToString("N")[..8]);
        _photo = InferenceData.AntPhoto();
        var package = ModelPackage.Write(Path.Combine(_store, "package"), InferenceData.MobileNetV2, InferenceData.MobileNetMetadata());
        var options = new OnnxRuntimeOptions { QueueTimeout = TimeSpan.FromSeconds(30), QueueLengthPerUnit = Callers };
        _registered = new BenchmarkStore(Path.Combine(_store, "store"), new OnnxModelRuntime(options));
        _client = _registered.Client;
        var project = _client.CreateProjectAsync(new CreateProjectRequest { ProjectName = "bench" }).GetAwaiter().GetResult();
        _version = _registered.Models.ImportProjectVersionAsync(new ImportProjectVersionRequest
        {
            ProjectArn = project.ProjectArn, VersionName = "mobilenet", ModelPath = package.ModelPath,
        }).GetAwaiter().GetResult().ProjectVersionArn!;
        _client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = _version, MinInferenceUnits = Units }).GetAwaiter().GetResult();
        _client.WhenIdleAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _registered.Dispose();
        Directory.Delete(_store, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Callers * ImagesPerCaller, Description = "DetectCustomLabels, 4 concurrent callers (per image)")]
    public void ConcurrentCallers()
    {
        var callers = new Task[Callers];
        for (var c = 0; c < Callers; c++)
        {
            callers[c] = Task.Run(async () =>
            {
                var request = new DetectCustomLabelsRequest { ProjectVersionArn = _version, Image = new Image { Bytes = new MemoryStream(_photo) }, MaxResults = 5 };
                for (var i = 0; i < ImagesPerCaller; i++)
                {
                    request.Image.Bytes!.Position = 0;
                    await _client.DetectCustomLabelsAsync(request).ConfigureAwait(false);
                }
            });
        }

        Task.WaitAll(callers);
    }
}
