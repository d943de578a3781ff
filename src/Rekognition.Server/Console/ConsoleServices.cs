using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core;
using Rekognition.Core.Editing;
using Rekognition.Core.EvaluationViews;
using Rekognition.Core.Labeling;
using Rekognition.Core.QuickTest;
using Rekognition.Imaging.Decoding;
using Rekognition.Server.Console.Api;

namespace Rekognition.Server.Console;

/// <summary>The console's access check and API handlers over the application's registered clients.</summary>
internal sealed class ConsoleServices
{
    public ConsoleServices(IServiceProvider services, RekognitionServerOptions options)
    {
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var session = new ConsoleSession(options, services.GetService<IDataProtectionProvider>() ?? KeysInStore(services), time);
        Access = new ConsoleAccess(options, session);
        var client = services.GetRequiredService<IAmazonRekognition>();
        var editor = services.GetRequiredService<IDatasetEditorClient>();
        var thumbnails = new Thumbnails(editor, services.GetService<IImageDecoderFactory>() ?? ImageDecoderFactory.Default);
        Projects = new ProjectsApi(client);
        Entries = new EntriesApi(editor, services.GetRequiredService<ILabelingClient>(), thumbnails, time);
        Labels = new LabelsApi(client, editor);
        Versions = new VersionsApi(client, services.GetRequiredService<IEvaluationViewClient>(), services.GetRequiredService<IQuickTestClient>());
        SignIn = new SessionApi(options, session);
        Review = new ReviewApi(client, editor);
        Billing = new BillingApi(services.GetRequiredService<Rekognition.Core.Billing.IBillingClient>());
        Retraining = new RetrainingApi(services.GetRequiredService<Rekognition.Core.Retraining.IRetrainingClient>());
    }

    public ConsoleAccess Access { get; }

    public ProjectsApi Projects { get; }

    public EntriesApi Entries { get; }

    public LabelsApi Labels { get; }

    public VersionsApi Versions { get; }

    public SessionApi SignIn { get; }

    public ReviewApi Review { get; }

    public BillingApi Billing { get; }

    public RetrainingApi Retraining { get; }

    /// <summary>Data Protection keys of their own beneath the store root, for a host that registered none.</summary>
    private static IDataProtectionProvider KeysInStore(IServiceProvider services)
    {
        var storeRoot = services.GetRequiredService<RekognitionOptions>().StoreRoot;
        return DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(storeRoot, "console-keys")), b => b.SetApplicationName("Rekognition.Server.Console"));
    }
}
