using Microsoft.Extensions.Logging;
using Rekognition.Core.Datasets;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Services.Datasets;

/// <summary>Checks that a request's manifest is a readable object in its bucket and returns its location.</summary>
internal sealed class ManifestLocator(SourceRefResolver resolver, ILogger<ManifestLocator> logger)
{
    public string Locate(GroundTruthManifest manifest)
    {
        var s3 = manifest.S3Object ?? throw new InvalidParameterException("GroundTruthManifest.S3Object is required: give the Bucket and Name of the manifest.");
        var bucket = RequestValidation.Required(s3.Bucket, "GroundTruthManifest.S3Object.Bucket");
        var name = RequestValidation.Required(s3.Name, "GroundTruthManifest.S3Object.Name");
        RequestValidation.Length(bucket, "GroundTruthManifest.S3Object.Bucket", 3, 255);
        RequestValidation.Length(name, "GroundTruthManifest.S3Object.Name", 1, 1024);
        var resolved = resolver.Resolve($"s3://{bucket}/{name}");
        // Asked about, not read: the import reads it once, later.
        if (!resolved.IsResolved || !resolver.CanRead(resolved.LocalPath!))
        {
            // The caller learns the bucket and key; the machine path goes to the log only.
            DatasetLog.ManifestNotReadable(logger, bucket, name, resolved.Status, resolved.LocalPath);

            throw new InvalidS3ObjectException(
                $"Unable to get object metadata from S3. Check object key, region and/or access permissions. (s3://{bucket}/{name} is not a readable object.)");
        }

        return resolved.LocalPath!;
    }
}
