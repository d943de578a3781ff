using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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
    public void TheRekognitionOnnxSection_SetsTheBatchWindowAndSize_AndChoosesTheImageDecoder()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rekognition:Onnx:BatchWindow"] = "00:00:00.005",
            ["Rekognition:Onnx:MaxBatchSize"] = "16",
            ["Rekognition:Onnx:ImageDecoder"] = "ImageSharp",
        }).Build();
        using var services = new ServiceCollection().AddRekognitionOnnxRuntime(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<OnnxRuntimeOptions>>().Value;

        Assert.That((options.BatchWindow, options.MaxBatchSize), Is.EqualTo((TimeSpan.FromMilliseconds(5), 16)));
        Assert.That(services.GetRequiredService<Imaging.Decoding.IImageDecoder>(), Is.InstanceOf<Imaging.Decoding.ImageSharpImageDecoder>());
        var factory = services.GetRequiredService<Imaging.Decoding.IImageDecoderFactory>();
        Assert.That(factory.Kind, Is.EqualTo(Imaging.Decoding.ImageDecoderKind.ImageSharp));
        Assert.That(services.GetRequiredService<Imaging.Decoding.IImageDecoder>(), Is.SameAs(factory.Decoder), "one decoder, from the factory");
    }

    [Test]
    public void AHostsOwnDecoder_WinsOverTheFactorys_AndRegisteringTwiceAddsNothing()
    {
        var own = new Imaging.Decoding.ImageSharpImageDecoder(1000);
        var collection = new ServiceCollection().AddSingleton<Imaging.Decoding.IImageDecoder>(own).AddRekognitionOnnxRuntime();
        var count = collection.Count;
        collection.AddRekognitionImageDecoder();
        Assert.That(collection, Has.Count.EqualTo(count));
        using var services = collection.BuildServiceProvider();

        Assert.That(services.GetRequiredService<Imaging.Decoding.IImageDecoder>(), Is.SameAs(own));
    }

    [Test]
    public void WithoutAChoice_TheFastestDecoderPresentIsUsed()
    {
        using var services = new ServiceCollection().AddRekognitionOnnxRuntime().BuildServiceProvider();

        var decoder = services.GetRequiredService<Imaging.Decoding.IImageDecoder>();

        Assert.That(decoder, Imaging.Decoding.TurboJpegImageDecoder.IsAvailable
            ? Is.InstanceOf<Imaging.Decoding.TurboJpegImageDecoder>() : Is.InstanceOf<Imaging.Decoding.SkiaImageDecoder>());
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
