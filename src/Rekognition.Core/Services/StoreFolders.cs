using Microsoft.Extensions.Logging;

namespace Rekognition.Core.Services;

/// <summary>Removing a store folder whose work ended, without failing the work when the removal fails.</summary>
internal static class StoreFolders
{
    public static void TryDelete(string directory, ILogger logger)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "Could not remove {Directory}", directory);
        }
    }
}
