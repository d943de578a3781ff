using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Rekognition.Core.Feedback;
using Rekognition.Core.GeneralModels;
using Rekognition.Core.Labeling;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Core.Promotion;
using Rekognition.Core.Training;
using Rekognition.Core.Video;

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

    [Test]
    public void HostWithABadAccountId_FailsToStartWithTheConstructorsMessage_BeforeTheStoreIsOpened()
    {
        var store = Path.Combine(Path.GetTempPath(), "rk-di", Guid.NewGuid().ToString("N"));
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddRekognitionCustomLabels(o =>
        {
            o.StoreRoot = store;
            o.AccountId = "12";
        });
        using var host = builder.Build();

        var ex = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.That(ex!.Message, Is.EqualTo("RekognitionOptions.AccountId must be 12 digits (got '12')."));
        Assert.That(Directory.Exists(store), Is.False, "validation runs before the hosted service opens the store");

        var direct = Assert.Throws<ArgumentException>(() => new RekognitionCustomLabelsClient(new RekognitionOptions { StoreRoot = store, AccountId = "12" }));
        Assert.That(direct!.Message, Does.StartWith(ex.Message), "the constructor and the host give the same message");
    }

    [TestCase("", "123456789012", "local", "RekognitionOptions.StoreRoot must name a folder.")]
    [TestCase("store", "12345678901x", "local", "RekognitionOptions.AccountId must be 12 digits (got '12345678901x').")]
    [TestCase("store", "123456789012", "EU_West", "RekognitionOptions.Region must be lower-case letters, digits and '-' (got 'EU_West').")]
    public void InvalidOptions_FailWhenTheClientIsResolvedWithoutAHost(string storeRoot, string account, string region, string message)
    {
        using var provider = new ServiceCollection()
            .AddRekognitionCustomLabels(o =>
            {
                o.StoreRoot = storeRoot.Length == 0 ? " " : Path.Combine(Path.GetTempPath(), "rk-di", Guid.NewGuid().ToString("N"));
                o.AccountId = account;
                o.Region = region;
            })
            .BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IAmazonRekognition>());
        Assert.That(ex!.Message, Is.EqualTo(message));
    }

    [TestCase("api,cook", "RekognitionOptions.Host.Roles has an unknown role 'cook': use api, import, train, serve, comma-separated.")]
    [TestCase(" , ", "RekognitionOptions.Host.Roles must list one or more of api, import, train, serve (got ' , ').")]
    public void HostWithBadRoles_FailsToStart_BeforeTheStoreIsOpened(string roles, string message) =>
        AssertHostFailsToStart("Rekognition:Host:Roles", roles, message);

    [TestCase("0", "RekognitionOptions.Host.MaxConcurrentJobs must be between 1 and 1024 (got 0).")]
    [TestCase("2000", "RekognitionOptions.Host.MaxConcurrentJobs must be between 1 and 1024 (got 2000).")]
    public void HostWithBadJobLimit_FailsToStart_BeforeTheStoreIsOpened(string limit, string message) =>
        AssertHostFailsToStart("Rekognition:Host:MaxConcurrentJobs", limit, message);

    private static void AssertHostFailsToStart(string key, string value, string message)
    {
        var store = Path.Combine(Path.GetTempPath(), "rk-di", Guid.NewGuid().ToString("N"));
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rekognition:StoreRoot"] = store,
            [key] = value,
        });
        builder.Services.AddRekognitionCustomLabels(builder.Configuration);
        using var host = builder.Build();

        var ex = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.That(ex!.Message, Is.EqualTo(message));
        Assert.That(Directory.Exists(store), Is.False, "validation runs before the hosted service opens the store");
    }

    [Test]
    public void HostRolesAndId_BindFromConfiguration()
    {
        using var provider = new ServiceCollection()
            .AddRekognitionCustomLabels(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Rekognition:StoreRoot"] = Path.Combine(Path.GetTempPath(), "rk-di", Guid.NewGuid().ToString("N")),
                ["Rekognition:Host:Id"] = "worker-7",
                ["Rekognition:Host:Roles"] = "API, Serve",
                ["Rekognition:Host:LeaseDuration"] = "00:00:05",
                ["Rekognition:Host:MaxConcurrentJobs"] = "3",
            }).Build())
            .BuildServiceProvider();

        var host = provider.GetRequiredService<IOptions<RekognitionOptions>>().Value.Host;
        Assert.That(host.ResolvedId, Is.EqualTo("worker-7"));
        Assert.That(host.RoleSet, Is.EquivalentTo(new[] { "api", "serve" }));
        Assert.That(host.Has(HostRoles.Train), Is.False);
        Assert.That(host.LeaseDuration, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(host.MaxConcurrentJobs, Is.EqualTo(3));
        Assert.That(new RekognitionHostOptions().RoleSet, Is.EquivalentTo(HostRoles.All), "every role by default");
    }

    [Test]
    public async Task HostStart_OpensTheStore_BeforeAnyRequest()
    {
        var root = Path.Combine(Path.GetTempPath(), "rk-di", Guid.NewGuid().ToString("N"));
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddRekognitionCustomLabels(o =>
        {
            o.StoreRoot = Path.Combine(root, "store");
            o.BucketsRoot = Path.Combine(root, "buckets");
        });
        using (var host = builder.Build())
        {
            Assert.That(Directory.Exists(root), Is.False);
            await host.StartAsync();

            Assert.That(File.Exists(Path.Combine(root, "store", "catalog.db")), Is.True, "the catalog was opened (and migrated) at start-up");
            Assert.That(Directory.Exists(Path.Combine(root, "buckets")), Is.True);
            await host.StopAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    [Test]
    public async Task ExtrasClients_AreRegisteredAsSingletons_OverTheSameStore()
    {
        var root = Path.Combine(Path.GetTempPath(), "rk-di", Guid.NewGuid().ToString("N"));
        await using (var provider = new ServiceCollection().AddRekognitionCustomLabels(o => o.StoreRoot = root).BuildServiceProvider())
        {
            foreach (var type in new[]
                     {
                         typeof(IFeedbackClient), typeof(IModelAliasClient), typeof(ILabelingClient), typeof(IGeneralModelClient),
                         typeof(IVideoLabelClient), typeof(IModelTransferClient), typeof(ITrainingControlClient),
                     })
            {
                Assert.That(provider.GetRequiredService(type), Is.SameAs(provider.GetRequiredService(type)), type.Name);
            }

            // They work on the client's store: the project the client made is found (it has no alias yet), and a version
            // the store does not have is the service's not-found error.
            var client = provider.GetRequiredService<IAmazonRekognition>();
            var project = (await client.CreateProjectAsync(new CreateProjectRequest { ProjectName = "extras" })).ProjectArn!;
            var version = project[..project.LastIndexOf('/')] + "/version/v1/1";
            var aliases = provider.GetRequiredService<IModelAliasClient>();
            Assert.ThrowsAsync<ResourceNotFoundException>(() => aliases.GetModelAliasAsync(project, "production"));
            Assert.ThrowsAsync<ResourceNotFoundException>(() => provider.GetRequiredService<IModelTransferClient>()
                .ExportProjectVersionAsync(new ExportProjectVersionRequest { ProjectVersionArn = version, DestinationDirectory = root }));
            Assert.That(provider.GetRequiredService<ITrainingControlClient>().CancelTraining(version), Is.False);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }
}
