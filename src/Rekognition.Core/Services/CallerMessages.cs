using Rekognition.Core.Storage;

namespace Rekognition.Core.Services;

/// <summary>Messages for callers with the store's and the buckets' machine paths taken out (they belong in the log only).</summary>
internal sealed class CallerMessages(RekognitionOptions options)
{
    public string HideMachinePaths(string message) =>
        MachinePaths.Hide(message, (options.ResolvedBucketsRoot, "s3:/"), (options.StoreRoot, "<store>"));
}
