using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Rekognition.Onnx.Runtime;
using Rekognition.Onnx.Tests.Support;

namespace Rekognition.Onnx.Tests.Runtime;

public class ExecutionProviderSelectionTests
{
    private const string Cuda = "CUDAExecutionProvider";

    [SetUp]
    public void OnlyWithoutCuda() =>
        Assume.That(OrtEnv.Instance().GetAvailableProviders(), Does.Not.Contain(Cuda), "these tests ask for a provider this machine lacks");

    [Test]
    public void Create_MissingProviderWithFallback_WarnsAndUsesTheCpu()
    {
        var logger = new RecordingLogger();
        var options = new OnnxRuntimeOptions { ExecutionProviders = ["CUDA", "CPU"], MissingProvider = MissingProviderBehavior.FallbackToCpu };

        var factory = OnnxSessionFactory.Create(options, 1, logger);

        Assert.That(factory.Providers, Is.EqualTo(new[] { ExecutionProviderNames.Cpu }));
        var warning = logger.Entries.Single(e => e.Level == LogLevel.Warning);
        Assert.That(warning.Message, Does.Contain(Cuda));
        Assert.That(warning.Id.Id, Is.EqualTo(201), "the fallback is logged with its own event id");
    }

    [Test]
    public void Create_MissingProviderWithFail_NamesWhatIsAvailable()
    {
        var options = new OnnxRuntimeOptions { ExecutionProviders = ["cuda"], MissingProvider = MissingProviderBehavior.Fail };

        var ex = Assert.Throws<ExecutionProviderUnavailableException>(() => OnnxSessionFactory.Create(options, 1, new RecordingLogger()));

        Assert.That(ex!.Provider, Is.EqualTo(Cuda));
        Assert.That(ex.Message, Does.Contain(Cuda).And.Contain(ExecutionProviderNames.Cpu));
        Assert.That(ex.Available, Does.Contain(ExecutionProviderNames.Cpu));
    }

    [Test]
    public void Create_CpuOnly_NeedsNothingMissing()
    {
        var options = new OnnxRuntimeOptions { ExecutionProviders = ["CPU"], MissingProvider = MissingProviderBehavior.Fail };

        Assert.That(OnnxSessionFactory.Create(options, 1, new RecordingLogger()).Providers, Is.EqualTo(new[] { ExecutionProviderNames.Cpu }));
    }

    [TestCase("CUDA", "CUDAExecutionProvider")]
    [TestCase("directml", "DmlExecutionProvider")]
    [TestCase("TensorRT", "TensorrtExecutionProvider")]
    [TestCase("OpenVINOExecutionProvider", "OpenVINOExecutionProvider")]
    public void ToOrtName_MapsShortAndFullNames(string name, string expected) =>
        Assert.That(ExecutionProviderNames.ToOrtName(name), Is.EqualTo(expected));

    [Test]
    public void Validate_UnknownProviderName_ListsTheKnownOnes()
    {
        var options = new OnnxRuntimeOptions { ExecutionProviders = ["Cuda12"] };

        var ex = Assert.Throws<ArgumentException>(() => options.Validate());
        Assert.That(ex!.Message, Does.Contain("Cuda12").And.Contain("DirectML"));
    }
}
