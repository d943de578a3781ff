namespace Rekognition.Core.Storage;

/// <summary>
/// The service keys under which a provider package registers its stores (keyed singletons), for the one that
/// <c>Rekognition:Artifacts:Provider</c> and <c>Rekognition:Buckets:Provider</c> choose.
/// </summary>
public static class StorageProviderKeys
{
    /// <summary>The S3 provider's key (Rekognition.S3 registers its <see cref="IObjectStore"/> and <see cref="IBucketStore"/> under it).</summary>
    public const string S3 = "S3";
}
