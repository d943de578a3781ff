namespace Rekognition.Core;

/// <summary>What <c>s3://bucket/key</c> in requests and manifests means (the <c>Rekognition:Buckets</c> section).</summary>
public sealed class BucketsOptions
{
    /// <summary>
    /// <see cref="BucketsProvider.Folder"/> (default: <c>&lt;BucketsRoot&gt;/bucket/key</c>) or <see cref="BucketsProvider.S3"/>
    /// (the real S3 API, through the Rekognition.S3 package registered with <c>services.AddRekognitionS3()</c>).
    /// </summary>
    public BucketsProvider Provider { get; set; } = BucketsProvider.Folder;
}

/// <summary>Where buckets are.</summary>
public enum BucketsProvider
{
    /// <summary>A local folder stands for S3: each bucket is a folder of <see cref="RekognitionOptions.BucketsRoot"/>.</summary>
    Folder,

    /// <summary>S3 itself (or an S3-compatible server).</summary>
    S3,
}
