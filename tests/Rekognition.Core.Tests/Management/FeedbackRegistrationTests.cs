using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core.Feedback;
using Rekognition.Core.Inference;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Management;

public class FeedbackRegistrationTests
{
    [Test]
    public void AddRekognitionFeedbackRecording_WrapsTheRegisteredRuntime()
    {
        var inner = new FakeModelRuntime();
        var services = new ServiceCollection();
        services.AddSingleton<IModelRuntime>(inner);
        services.AddRekognitionCustomLabels(o => o.StoreRoot = Path.Combine(Path.GetTempPath(), "rk-tests", Guid.NewGuid().ToString("N")));
        services.AddRekognitionFeedbackRecording();
        services.AddRekognitionFeedbackRecording();
        using var provider = services.BuildServiceProvider();

        var runtime = provider.GetRequiredService<IModelRuntime>();
        Assert.That(runtime, Is.TypeOf<FeedbackRecordingRuntime>());
        Assert.That(((FeedbackRecordingRuntime)runtime).Inner, Is.SameAs(inner), "wrapped once, however often it is called");
        Assert.That(services.Count(d => d.ServiceType == typeof(IModelRuntime)), Is.EqualTo(1));
    }

    [Test]
    public void AddRekognitionFeedbackRecording_WithoutARuntime_SaysWhatToRegisterFirst()
    {
        var services = new ServiceCollection();
        var error = Assert.Throws<InvalidOperationException>(() => services.AddRekognitionFeedbackRecording());
        Assert.That(error!.Message, Does.Contain("before AddRekognitionFeedbackRecording"));
    }
}
