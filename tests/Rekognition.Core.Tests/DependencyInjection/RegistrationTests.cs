using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rekognition.Core.Model;

namespace Rekognition.Core.Tests.DependencyInjection;

public class RegistrationTests
{
    [Test]
    public async Task AddRekognitionCustomLabels_BindsTheRekognitionSection_AndServesOneClient()
    {
        var root = Path.Combine(Path.GetTempPath(), "rk-di", Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Rekognition:StoreRoot"] = Path.Combine(root, "store"),
                ["Rekognition:BucketsRoot"] = Path.Combine(root, "buckets"),
                ["Rekognition:AccountId"] = "111122223333",
                ["Rekognition:Region"] = "eu-west-1",
                ["Rekognition:AllowedImageRoots:0"] = "/data/images",
                ["Rekognition:Limits:MaxLabels"] = "100",
            })
            .Build();
        var services = new ServiceCollection().AddRekognitionCustomLabels(configuration, o => o.CheckImages = false);
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<RekognitionOptions>>().Value;
        Assert.Multiple(() =>
        {
            Assert.That(options.StoreRoot, Is.EqualTo(Path.Combine(root, "store")));
            Assert.That(options.ResolvedBucketsRoot, Is.EqualTo(Path.Combine(root, "buckets")));
            Assert.That(options.AllowedImageRoots, Is.EqualTo(new[] { "/data/images" }));
            Assert.That(options.Limits.MaxLabels, Is.EqualTo(100));
            Assert.That(options.CheckImages, Is.False);
        });

        var client = provider.GetRequiredService<IAmazonRekognition>();
        Assert.That(provider.GetRequiredService<RekognitionCustomLabelsClient>(), Is.SameAs(client));
        var arn = (await client.CreateProjectAsync(new CreateProjectRequest { ProjectName = "di" })).ProjectArn;
        Assert.That(arn, Does.StartWith("arn:aws:rekognition:eu-west-1:111122223333:project/di/"));
        await provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    [Test]
    public void InvalidOptions_FailAtConstructionWithAClearMessage()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RekognitionCustomLabelsClient(new RekognitionOptions
        {
            StoreRoot = Path.Combine(Path.GetTempPath(), "rk-bad"), AccountId = "12",
        }));
        Assert.That(ex!.Message, Does.Contain("12 digits"));
    }
}
