namespace Rekognition.Core;

/// <summary>Where the store keeps its artifacts (the <c>Rekognition:Artifacts</c> section).</summary>
public sealed class ArtifactsOptions
{
    /// <summary>The largest size the local read-through cache of a remote object store may reach, in bytes (default 20 GiB).</summary>
    public const long DefaultLocalCacheMaxBytes = 20L << 30;

    /// <summary>
    /// <see cref="ArtifactsProvider.Local"/> (default: files beneath <see cref="RekognitionOptions.StoreRoot"/>) or
    /// <see cref="ArtifactsProvider.S3"/> (the Rekognition.S3 package, registered with <c>services.AddRekognitionS3()</c>).
    /// </summary>
    public ArtifactsProvider Provider { get; set; } = ArtifactsProvider.Local;

    /// <summary>The bucket holding the artifacts when <see cref="Provider"/> is S3; it must exist.</summary>
    public string? Bucket { get; set; }

    /// <summary>A key prefix for every artifact in <see cref="Bucket"/> (e.g. <c>rekognition/prod</c>), so several stores may share a bucket; empty: none.</summary>
    public string? Prefix { get; set; }

    /// <summary>
    /// The most bytes the local copies of a remote store's objects (ONNX models that must be files) may take beneath
    /// <c>&lt;StoreRoot&gt;/cache</c>; beyond it the least recently used copies not in use are removed.
    /// </summary>
    public long LocalCacheMaxBytes { get; set; } = DefaultLocalCacheMaxBytes;
}

/// <summary>Object store providers for the artifacts.</summary>
public enum ArtifactsProvider
{
    /// <summary>A local folder (the store root).</summary>
    Local,

    /// <summary>An S3 bucket (the Rekognition.S3 package).</summary>
    S3,
}
