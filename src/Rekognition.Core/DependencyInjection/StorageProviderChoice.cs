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

    /// <summary>The buckets that <c>Rekognition:Buckets:Provider</c> chooses: folders of the buckets root, or a provider package's.</summary>
    public static IBucketStore Buckets(IServiceProvider services)
    {
        var options = services.GetRequiredService<RekognitionOptions>();
        return options.Buckets.Provider switch
        {
            BucketsProvider.Folder => new FolderBucketStore(new Storage.Confinement.ConfinedDirectory(options.ResolvedBucketsRoot)),
            BucketsProvider.S3 => services.GetKeyedService<IBucketStore>(StorageProviderKeys.S3) ?? throw NotRegistered("Rekognition:Buckets:Provider"),
            _ => throw new InvalidOperationException($"Rekognition:Buckets:Provider '{options.Buckets.Provider}' is not a provider: use Folder or S3."),
        };
    }

    /// <summary>The source-ref resolver: <c>s3://</c> objects read beneath the buckets root, or from the remote buckets when they are not folders.</summary>
    public static SourceRefResolver Resolver(IServiceProvider services)
    {
        var options = services.GetRequiredService<RekognitionOptions>();
        var buckets = services.GetRequiredService<IBucketStore>();
        return new SourceRefResolver(options, buckets is FolderBucketStore ? null : buckets);
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
