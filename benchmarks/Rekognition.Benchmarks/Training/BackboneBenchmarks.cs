using BenchmarkDotNet.Attributes;
using Rekognition.Benchmarks.Inference;
using Rekognition.Core;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Core.Training;
using Rekognition.Onnx.Hosting;
using Rekognition.Onnx.Runtime;
using Rekognition.Training.Backbones;
using Rekognition.Training.Data;
using Rekognition.Training.Trainers;

namespace Rekognition.Benchmarks.Training;

/// <summary>
/// The default backbone (ML.NET's ImageNet ResNet18, its preprocessing in the graph) beside the int8 MobileNetV2, 2 threads:
/// Extract16 extracts the pooled features of 16 hymenoptera photos (decoding and preprocessing included; divide by 16 for
/// one image); Head1000 trains the default head on 1,000 cached feature vectors of the backbone's width, 10 labels;
/// DetectCustomLabels asks a model trained on the backbone (the default head on 40 hymenoptera photos), started on one
/// unit, about one photo.
///   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- --filter '*BackboneBenchmarks*'
/// </summary>
[Config(typeof(InProcessShortConfig))]
public class BackboneBenchmarks
{
    private string _store = null!;
    private TransferLearningTrainer _trainer = null!;
    private FeatureExtractor _extractor = null!;
    private List<string> _photos = null!;
    private float[] _features = null!;
    private int[] _labels = null!;
    private BenchmarkStore _registered = null!;
    private RekognitionCustomLabelsClient _client = null!;
    private DetectCustomLabelsRequest _request = null!;
    private byte[] _photo = null!;

    [Params("ResNet18", "MobileNetV2")]
    public string Backbone { get; set; } = "ResNet18";

    [GlobalSetup]
    public void Setup()
    {
        var path = Backbone == "ResNet18" ? DefaultBackbone.Require() : InferenceData.MobileNetV2;
        _store = Path.Combine(Path.GetTempPath(), "rekognition-backbone-bench-" + Guid.NewGuid().ToString("N")[..8]);
        _trainer = new TransferLearningTrainer(new TransferLearningOptions { Threads = 2 });
        var (network, spec) = _trainer.FeatureNetwork(path);
        _extractor = new FeatureExtractor(network, spec, 2);
        var (paths, labels) = TransferLearningBenchmarks.Photos(InferenceData.Root, "train");
        _photos = paths.Take(16).ToList();
        var width = _extractor.Extract(_photos.Take(1).ToList(), CancellationToken.None).Length;

        // 1,000 vectors of the backbone's width, 10 labels: class means apart along a few features, noise elsewhere.
        var random = new Random(1);
        _features = new float[1000 * width];
        _labels = Enumerable.Range(0, 1000).Select(i => i % 10).ToArray();
        for (var i = 0; i < _features.Length; i++)
        {
            _features[i] = (float)(random.NextDouble() + (i % width == _labels[i / width] ? 1 : 0));
        }

        // A model on this backbone: the default head on 20 ants and 20 bees, imported and started on one unit.
        var chosen = Enumerable.Range(0, paths.Count).Where(i => i % 6 == 0).Take(40).ToList();
        var job = new TrainingJob(ModelKind.MultiClass, new[] { "ants", "bees" },
            chosen.Select(i => new TrainingImage(paths[i], new[] { labels[i] }, Array.Empty<TrainingBox>())).ToList(),
            Array.Empty<TrainingImage>(), Path.Combine(_store, "package"), path);
        var package = _trainer.TrainAsync(job, null, CancellationToken.None).GetAwaiter().GetResult();
        _registered = new BenchmarkStore(Path.Combine(_store, "store"), new OnnxModelRuntime(new OnnxRuntimeOptions { IntraOpThreads = 2, AllowThreadSpinning = false }));
        _client = _registered.Client;
        var project = _client.CreateProjectAsync(new CreateProjectRequest { ProjectName = "bench" }).GetAwaiter().GetResult();
        var version = _registered.Models.ImportProjectVersionAsync(new ImportProjectVersionRequest
        {
            ProjectArn = project.ProjectArn, VersionName = Backbone.ToLowerInvariant(), ModelPath = package.ModelPath,
        }).GetAwaiter().GetResult().ProjectVersionArn;
        _client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = version, MinInferenceUnits = 1 }).GetAwaiter().GetResult();
        _client.WhenIdleAsync().GetAwaiter().GetResult();
        _photo = InferenceData.AntPhoto();
        _request = new DetectCustomLabelsRequest { ProjectVersionArn = version, Image = new Image { Bytes = new MemoryStream(_photo) }, MinConfidence = 0 };
    }

    [Benchmark]
    public float[] Extract16() => _extractor.Extract(_photos, CancellationToken.None);

    [Benchmark]
    public object Head1000() => _trainer.TrainHead(_features, new SampleLabels(_labels, null, 10), false, null, CancellationToken.None).Head;

    [Benchmark]
    public int DetectCustomLabels()
    {
        _request.Image!.Bytes!.Position = 0;
        return _client.DetectCustomLabelsAsync(_request).GetAwaiter().GetResult().CustomLabels.Count;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _extractor.Dispose();
        _registered.Dispose();
        Directory.Delete(_store, recursive: true);
    }
}
