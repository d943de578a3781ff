using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rekognition.Onnx.DependencyInjection;
using Rekognition.Onnx.Runtime;

namespace Rekognition.Onnx.Tests.Runtime;

public sealed class OnnxConfigurationTests
{
    [Test]
    public void TheRekognitionOnnxSection_ChoosesProvidersDeviceAndThreads()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rekognition:Onnx:ExecutionProviders:0"] = "CUDA",
            ["Rekognition:Onnx:ExecutionProviders:1"] = "CPU",
            ["Rekognition:Onnx:MissingProvider"] = "Fail",
            ["Rekognition:Onnx:DeviceId"] = "1",
            ["Rekognition:Onnx:IntraOpThreads"] = "3",
        }).Build();
        using var services = new ServiceCollection().AddRekognitionOnnxRuntime(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<OnnxRuntimeOptions>>().Value;

        Assert.That(options.ExecutionProviders, Is.EqualTo(new[] { "CUDA", "CPU" }));
        Assert.That(options.MissingProvider, Is.EqualTo(MissingProviderBehavior.Fail));
        Assert.That(options.DeviceId, Is.EqualTo(1));
        Assert.That(options.IntraOpThreads, Is.EqualTo(3));
    }

    [Test]
    public void AWrongValueInTheSection_FailsWhenTheOptionsAreRead_NamingIt()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rekognition:Onnx:ExecutionProviders:0"] = "NoSuchAccelerator",
        }).Build();
        using var services = new ServiceCollection().AddRekognitionOnnxRuntime(configuration).BuildServiceProvider();

        var error = Assert.Throws<ArgumentException>(() => _ = services.GetRequiredService<IOptions<OnnxRuntimeOptions>>().Value);
        Assert.That(error!.Message, Does.Contain("NoSuchAccelerator"));
    }

    [Test]
    public void TheNativeRuntimeTheTestsBring_Loads()
    {
        Assert.DoesNotThrow(OnnxRuntimeLibrary.EnsureLoaded);
    }
}
