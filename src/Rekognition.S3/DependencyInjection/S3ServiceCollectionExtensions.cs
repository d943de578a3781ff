using Amazon.S3;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Rekognition.Core;
using Rekognition.Core.Storage;
using Rekognition.S3.Buckets;
using Rekognition.S3.Client;
using Rekognition.S3.Objects;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the S3 providers with a host's dependency injection.</summary>
public static class S3ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the S3 object store for the artifacts (used when <c>Rekognition:Artifacts:Provider</c> is <c>S3</c>,
    /// in <c>Rekognition:Artifacts:Bucket</c> beneath <c>Rekognition:Artifacts:Prefix</c>) and the S3 buckets (used when
    /// <c>Rekognition:Buckets:Provider</c> is <c>S3</c>), over one S3 client made from <c>Rekognition:S3</c>
    /// (<c>ServiceUrl</c>, <c>ForcePathStyle</c>, <c>Region</c>, <c>DisableChunkEncoding</c>) with the AWS SDK's standard
    /// credentials chain. A keyed <see cref="IAmazonS3"/> registered under <see cref="StorageProviderKeys.S3"/> before
    /// this call is used instead of that client. Order with AddRekognitionCustomLabels does not matter.
    /// </summary>
    public static IServiceCollection AddRekognitionS3(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddKeyedSingleton<IAmazonS3>(StorageProviderKeys.S3, (sp, _) => S3ClientFactory.Create(sp.GetRequiredService<RekognitionOptions>().S3));
        services.TryAddKeyedSingleton<IObjectStore>(StorageProviderKeys.S3, (sp, _) => CreateArtifactStore(sp));
        services.TryAddKeyedSingleton<IBucketStore>(StorageProviderKeys.S3, (sp, _) =>
        {
            var options = sp.GetRequiredService<RekognitionOptions>().S3;
            return new S3BucketStore(sp.GetRequiredKeyedService<IAmazonS3>(StorageProviderKeys.S3), !options.DisableChunkEncoding, S3ClientFactory.Describe(options));
        });
        return services;
    }

    private static S3ObjectStore CreateArtifactStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<RekognitionOptions>();
        var bucket = options.Artifacts.Bucket
                     ?? throw new InvalidOperationException("Rekognition:Artifacts:Bucket must name the bucket for the artifacts when Rekognition:Artifacts:Provider is S3.");
        return new S3ObjectStore(
            services.GetRequiredKeyedService<IAmazonS3>(StorageProviderKeys.S3),
            bucket,
            options.Artifacts.Prefix,
            chunkEncoding: !options.S3.DisableChunkEncoding,
            services.GetRequiredService<LocalFileCache>(),
            S3ClientFactory.Describe(options.S3),
            services.GetService<ILogger<S3ObjectStore>>());
    }
}
