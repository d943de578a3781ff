using Microsoft.Extensions.Logging;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Services;

/// <summary>Removing what a failed or finished piece of work left in the store, without failing the work when the removal fails.</summary>
internal static class StoreCleanup
{
    public static void TryDeleteObjects(Store store, string prefix, ILogger logger)
    {
        try
        {
            store.Objects.DeletePrefixAsync(prefix).GetAwaiter().GetResult();
        }
        catch (IOException ex)
        {
            ServiceLog.ObjectsNotRemoved(logger, ex, prefix);
        }
    }
}
