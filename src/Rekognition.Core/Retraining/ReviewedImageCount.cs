using System.Text.Json.Nodes;
using Rekognition.Core.Catalog;
using Rekognition.Core.Labeling;

namespace Rekognition.Core.Retraining;

/// <summary>
/// The labelled-images trigger's count: labelled entries whose labels a person made or reviewed. A model's pre-labels
/// (human-annotated "no") are not reviewed yet and count only once accepted or corrected.
/// </summary>
internal static class ReviewedImageCount
{
    private const int PageSize = 2000;

    public static long Of(IEntryCatalog entries, long datasetId)
    {
        var filter = new EntryFilter(null, Labeled: true, null, null);
        long count = 0, after = 0;
        while (true)
        {
            var page = entries.ListEntries(datasetId, filter, after, PageSize);
            foreach (var (id, line) in page)
            {
                after = id;
                if (!MayBeMachineAnnotated(line) || !PreLabelLines.IsMachineAnnotated((JsonObject)JsonNode.Parse(line)!))
                {
                    count++;
                }
            }

            if (page.Count < PageSize)
            {
                return count;
            }
        }
    }

    // Most lines are human-annotated "yes" only: parsed only when a "no" value appears at all.
    private static bool MayBeMachineAnnotated(string line) => line.Contains("\"no\"", StringComparison.Ordinal);
}
