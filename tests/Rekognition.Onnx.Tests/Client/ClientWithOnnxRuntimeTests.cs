using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core;
using Rekognition.Core.Diagnostics;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Onnx.Detection;
using Rekognition.Onnx.Runtime;
using Rekognition.Onnx.Tests.Support;
using Rekognition.Tests.Telemetry;
using SkiaSharp;

namespace Rekognition.Onnx.Tests.Client;

/// <summary>The client end to end on the real runtime: import, start, detect, describe, stop.</summary>
public class ClientWithOnnxRuntimeTests
{
    private TemporaryDirectory _temp = null!;
    private ServiceProvider _services = null!;
    private RekognitionCustomLabelsClient _client = null!;
    private readonly Dictionary<string, string> _projectOf = new();

    [SetUp]
    public void SetUp()
    {
        _temp = new TemporaryDirectory();
        _services = Services(o => o.IntraOpThreads = 1);
        _client = _services.GetRequiredService<RekognitionCustomLabelsClient>();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _services.DisposeAsync();
        _temp.Dispose();
    }

    [Test]
    public async Task ImportStartDetectStop_ColourModel_FollowsTheServiceLifecycle()
    {
        var arn = await Import(new ColourModel().WritePackage(_temp.Path));

        var start = await _client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = arn, MinInferenceUnits = 1, MaxInferenceUnits = 2 });
        Assert.That(start.Status!.Value, Is.EqualTo("STARTING"));
        await _client.WhenIdleAsync();
        var running = await Describe(arn);
        Assert.That(running.Status!.Value, Is.EqualTo("RUNNING"));
        Assert.That((running.MinInferenceUnits, running.MaxInferenceUnits), Is.EqualTo((1, 2)));
        Assert.That((running.DesiredInferenceUnits, running.InServiceInferenceUnits), Is.EqualTo((1, 1)));

        var red = await Detect(arn, TestImages.Solid(SKColors.Red));
        var blue = await Detect(arn, TestImages.Solid(SKColors.Blue, 200, 120, SKEncodedImageFormat.Jpeg));
        Assert.That(red.CustomLabels.Select(l => l.Name), Is.EqualTo(new[] { "red" }));
        Assert.That(red.CustomLabels[0].Confidence, Is.GreaterThan(99f));
        Assert.That(blue.CustomLabels.Select(l => l.Name), Is.EqualTo(new[] { "blue" }));

        var stop = await _client.StopProjectVersionAsync(new StopProjectVersionRequest { ProjectVersionArn = arn });
        Assert.That(stop.Status!.Value, Is.EqualTo("STOPPING"));
        await _client.WhenIdleAsync();
        var stopped = await Describe(arn);
        Assert.That(stopped.Status!.Value, Is.EqualTo("STOPPED"));
        Assert.That(stopped.InServiceInferenceUnits, Is.Null);
        Assert.ThrowsAsync<ResourceNotReadyException>(() => Detect(arn, TestImages.Solid(SKColors.Red)));
    }

    [Test]
    public async Task DetectCustomLabels_MobileNetOnAnAntPhoto_AnswersAnt()
    {
        var arn = await Import(TestData.MobileNetPackage(_temp.Path));
        await _client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = arn, MinInferenceUnits = 1 });
        await _client.WhenIdleAsync();
        var photo = Directory.GetFiles(Path.Combine(TestData.Hymenoptera, "ants"), "*.jpg").Order(StringComparer.Ordinal).First();

        var response = await _client.DetectCustomLabelsAsync(new DetectCustomLabelsRequest
        {
            ProjectVersionArn = arn, Image = new Image { Bytes = new MemoryStream(File.ReadAllBytes(photo)) }, MinConfidence = 0, MaxResults = 3,
        });

        Assert.That(response.CustomLabels, Has.Count.EqualTo(3));
        Assert.That(response.CustomLabels[0].Name, Is.EqualTo("ant"));
        Assert.That(response.CustomLabels[0].Confidence, Is.GreaterThan(response.CustomLabels[1].Confidence!.Value));
    }

    [Test]
    public async Task ImportProjectVersion_OnnxFileThatIsNotAModel_IsInvalidParameter()
    {
        var directory = new ColourModel().WritePackage(_temp.Path);
        await File.WriteAllBytesAsync(Path.Combine(directory, "model.onnx"), new byte[] { 0x08, 0x07, 0x12, 0xff, 0xff, 0x00, 0x42 });

        Assert.ThrowsAsync<InvalidParameterException>(() => Import(directory));
    }

    [Test]
    public async Task StartProjectVersion_MissingProviderWithFail_EndsFailedNamingIt()
    {
        await _services.DisposeAsync();
        _services = Services(o =>
        {
            o.ExecutionProviders = ["TensorRT"];
            o.MissingProvider = MissingProviderBehavior.Fail;
        });
        _client = _services.GetRequiredService<RekognitionCustomLabelsClient>();
        Assume.That(Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetAvailableProviders(), Does.Not.Contain("TensorrtExecutionProvider"));
        var arn = await Import(new ColourModel().WritePackage(_temp.Path));

        await _client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = arn, MinInferenceUnits = 1 });
        await _client.WhenIdleAsync();

        var failed = await Describe(arn);
        Assert.That(failed.Status!.Value, Is.EqualTo("FAILED"));
        Assert.That(failed.StatusMessage, Does.Contain("TensorrtExecutionProvider").And.Contain("CPUExecutionProvider"));
    }

    [Test]
    public async Task DetectCustomLabels_WhileTheModelStops_EachCallSucceedsOrIsNotReady()
    {
        var arn = await Import(new ColourModel { Width = 256, Height = 256, ConvChannels = 48 }.WritePackage(_temp.Path));
        await _client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = arn, MinInferenceUnits = 2 });
        await _client.WhenIdleAsync();
        var image = TestImages.Solid(SKColors.Red);
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<Exception?>();
        var callers = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 30; i++)
            {
                try
                {
                    await Detect(arn, image);
                    outcomes.Add(null);
                }
                catch (Exception ex)
                {
                    outcomes.Add(ex);
                }
            }
        })).ToArray();

        await Task.Delay(100);
        await _client.StopProjectVersionAsync(new StopProjectVersionRequest { ProjectVersionArn = arn });
        await Task.WhenAll(callers);
        await _client.WhenIdleAsync();

        Assert.That(outcomes.Where(o => o is not null), Is.All.InstanceOf<ResourceNotReadyException>());
        Assert.That(outcomes.Count(o => o is null), Is.GreaterThan(0));
        Assert.That((await Describe(arn)).Status!.Value, Is.EqualTo("STOPPED"));
    }

    [Test]
    public async Task TheDirectDetector_AnswersAsTheClient_WithOneFilter()
    {
        var directory = new ColourModel { Softmax = false }.WritePackage(_temp.Path);
        var arn = await Import(directory);
        await _client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = arn, MinInferenceUnits = 1 });
        await _client.WhenIdleAsync();
        using var detector = OnnxDetector.Load(directory, new OnnxRuntimeOptions { IntraOpThreads = 1 });

        var compared = 0;
        foreach (var colour in new[] { SKColors.Red, SKColors.Blue, new SKColor(120, 40, 110), new SKColor(90, 60, 100) })
        {
            var image = TestImages.Solid(colour);
            foreach (var (minConfidence, maxResults) in new (float?, int?)[] { (null, null), (0f, null), (0f, 1), (40f, null), (0f, 0) })
            {
                var response = await _client.DetectCustomLabelsAsync(new DetectCustomLabelsRequest
                {
                    ProjectVersionArn = arn, Image = new Image { Bytes = new MemoryStream(image) }, MinConfidence = minConfidence, MaxResults = maxResults,
                });
                var direct = detector.Detect(image, minConfidence, maxResults);
                var what = $"{colour} min {minConfidence} max {maxResults}";
                Assert.That(direct.Select(l => l.Name), Is.EqualTo(response.CustomLabels.Select(l => l.Name)), what);
                Assert.That(direct.Select(l => l.Confidence), Is.EqualTo(response.CustomLabels.Select(l => l.Confidence)).Within(0.01f), what);
                compared += direct.Count;
            }
        }

        Assert.That(compared, Is.GreaterThan(8), "the cases compare some labels, not only empty answers");
    }

    [Test]
    public async Task DetectCustomLabels_IsTracedAsASpanWithTheVersionArnAndCounts()
    {
        var arn = await Import(new ColourModel().WritePackage(_temp.Path));
        await _client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = arn, MinInferenceUnits = 1 });
        await _client.WhenIdleAsync();
        using var spans = new SpanRecorder();

        await Detect(arn, TestImages.Solid(SKColors.Red));

        var detect = spans.Single("DetectCustomLabels", RekognitionTelemetry.ProjectVersionArnTag, arn);
        Assert.That(detect.GetTagItem(RekognitionTelemetry.ImageCountTag), Is.EqualTo(1));
        Assert.That(detect.GetTagItem(RekognitionTelemetry.LabelCountTag), Is.EqualTo(1));
        Assert.That(detect.Duration, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(detect.Source.Name, Is.EqualTo("Rekognition.Core"));
    }

    private ServiceProvider Services(Action<OnnxRuntimeOptions> configure) =>
        new ServiceCollection()
            .AddRekognitionCustomLabels(o => o.StoreRoot = Path.Combine(_temp.Path, "store-" + Guid.NewGuid().ToString("N")[..6]))
            .AddRekognitionOnnxRuntime(configure)
            .BuildServiceProvider();

    private async Task<string> Import(string packageDirectory)
    {
        var project = await _client.CreateProjectAsync(new CreateProjectRequest { ProjectName = "p" + Guid.NewGuid().ToString("N")[..8] });
        var imported = await _services.GetRequiredService<IModelTransferClient>().ImportProjectVersionAsync(new ImportProjectVersionRequest
        {
            ProjectArn = project.ProjectArn, VersionName = "v1", ModelPath = Path.Combine(packageDirectory, "model.onnx"),
        });
        _projectOf[imported.ProjectVersionArn!] = project.ProjectArn!;
        return imported.ProjectVersionArn!;
    }

    private async Task<ProjectVersionDescription> Describe(string versionArn)
    {
        var response = await _client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = _projectOf[versionArn] });
        return response.ProjectVersionDescriptions.Single(d => d.ProjectVersionArn == versionArn);
    }

    private Task<DetectCustomLabelsResponse> Detect(string arn, byte[] image) =>
        _client.DetectCustomLabelsAsync(new DetectCustomLabelsRequest { ProjectVersionArn = arn, Image = new Image { Bytes = new MemoryStream(image) } });
}
