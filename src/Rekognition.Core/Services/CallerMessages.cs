using Rekognition.Core.Storage;

namespace Rekognition.Core.Services;

/// <summary>
/// Messages for callers with the store's, the buckets' and the temporary folder's machine paths taken out (they belong in
/// the log only); the temporary folder holds the S3 providers' spooled uploads and downloads.
/// </summary>
internal sealed class CallerMessages(RekognitionOptions options)
{
    public string HideMachinePaths(string message) =>
        MachinePaths.Hide(message, (options.ResolvedBucketsRoot, "s3:/"), (options.StoreRoot, "<store>"), (Path.GetTempPath(), "<tmp>"));
}
