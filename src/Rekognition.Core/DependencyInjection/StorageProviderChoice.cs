using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core.Storage;

namespace Rekognition.Core;

/// <summary>
/// The object store that <c>Rekognition:Artifacts:Provider</c> chooses: the local folder, or the one a provider package
/// registered under its key; a provider chosen but not registered fails when the store opens, naming the package.
/// </summary>
internal static class StorageProviderChoice
{
    public static IObjectStore Artifacts(IServiceProvider services)
    {
        var options = services.GetRequiredService<RekognitionOptions>();
        return options.Artifacts.Provider switch
        {
            ArtifactsProvider.Local => new LocalFolderObjectStore(options.StoreRoot),
            ArtifactsProvider.S3 => services.GetKeyedService<IObjectStore>(StorageProviderKeys.S3) ?? throw NotRegistered("Rekognition:Artifacts:Provider"),
            _ => throw new InvalidOperationException($"Rekognition:Artifacts:Provider '{options.Artifacts.Provider}' is not a provider: use Local or S3."),
        };
    }

    /// <summary>The cache for what must be a local file when the artifacts are remote (beneath the store root, bounded).</summary>
    public static LocalFileCache LocalFiles(IServiceProvider services)
    {
        var options = services.GetRequiredService<RekognitionOptions>();
        return new LocalFileCache(Path.Combine(options.StoreRoot, StoreLayout.LocalCachePrefix), options.Artifacts.LocalCacheMaxBytes);
    }

    public static InvalidOperationException NotRegistered(string setting) => new(
        $"{setting} is S3, but the S3 provider is not registered: add the Rekognition.S3 package and call services.AddRekognitionS3().");
}
