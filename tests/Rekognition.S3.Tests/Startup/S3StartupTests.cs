using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core;
using Rekognition.Core.Tests.TestSupport;
using Rekognition.S3.Tests.TestSupport;

namespace Rekognition.S3.Tests.Startup;

/// <summary>S3 chosen but unusable fails when the store opens, with a message that says what to fix.</summary>
public class S3StartupTests
{
    [Test]
    public void S3Artifacts_WithoutTheProviderRegistered_NameThePackageAndTheCall()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => new TestStore(null, null, o => S3TestServer.Configure(o, "artifacts"), null));
        Assert.That(failure!.Message, Does.Contain("Rekognition:Artifacts:Provider").And.Contain("Rekognition.S3").And.Contain("services.AddRekognitionS3()"));
    }

    [Test]
    public void AMissingArtifactsBucket_FailsAtStartUp_NamingTheBucket()
    {
        var failure = Assert.Throws<InvalidOperationException>(() =>
            new TestStore(null, null, o => S3TestServer.Configure(o, "no-such-bucket-here"), s => s.AddRekognitionS3()));
        Assert.That(failure!.Message, Does.Contain("'no-such-bucket-here'").And.Contain("does not exist"));
    }

    [Test]
    public void AnUnreachableServer_FailsAtStartUp_NamingTheEndpoint()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => new TestStore(null, null, o =>
        {
            S3TestServer.Configure(o, "artifacts");
            o.S3.ServiceUrl = "http://127.0.0.1:9";
        }, s => s.AddRekognitionS3()));
        Assert.That(failure!.Message, Does.Contain("http://127.0.0.1:9").And.Contain("cannot be reached"));
    }

    [Test]
    public void S3Artifacts_WithoutABucket_AreRefusedByTheOptionsCheck()
    {
        var options = new RekognitionOptions { StoreRoot = Path.GetTempPath() };
        options.Artifacts.Provider = ArtifactsProvider.S3;
        Assert.That(RekognitionOptionsValidator.Failure(options), Does.Contain("Rekognition:Artifacts:Bucket"));
    }
}
