using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Rekognition.Core;
using Rekognition.Core.Editing;
using Rekognition.Core.Model;
using static Rekognition.Server.Console.ConsoleHttp;

namespace Rekognition.Server.Console.Api;

/// <summary>
/// The review queue of assisted labelling: entries a model pre-labelled and nobody reviewed, most uncertain first
/// (least confident: lowest top confidence; smallest margin: closest top two), with the dataset's progress counts.
/// Accepting is saving the entry (it becomes human-annotated), rejecting sends it back to the unlabelled queue.
/// </summary>
internal sealed class ReviewApi(IAmazonRekognition client, IDatasetEditorClient editor)
{
    private const int MaxShown = 100;

    public async Task QueueAsync(HttpContext context)
    {
        var dataset = Query(context, "dataset");
        var order = context.Request.Query["order"].ToString() is { Length: > 0 } o ? o : "least";
        if (order is not ("least" or "margin"))
        {
            throw new InvalidParameterException("order must be least (least confident first) or margin (smallest margin first).");
        }

        var pending = new List<(EditableEntry Entry, double Top, double Margin)>();
        string? token = null;
        do
        {
            var page = await editor.ListEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = dataset, Labeled = true, NextToken = token }, context.RequestAborted).ConfigureAwait(false);
            foreach (var entry in page.Entries)
            {
                var annotations = EntryAnnotations.Parse(entry.Line);
                if (!annotations.MachineAnnotated)
                {
                    continue;
                }

                var confidences = annotations.Labels.Select(l => l.Confidence).Concat(annotations.Boxes.Select(b => b.Confidence)).OrderDescending().ToList();
                var top = confidences.Count > 0 ? confidences[0] : 0;
                pending.Add((entry, top, confidences.Count > 1 ? top - confidences[1] : top));
            }

            token = page.NextToken;
        }
        while (token is not null);

        var ordered = order == "least" ? pending.OrderBy(p => p.Top) : pending.OrderBy(p => p.Margin);
        var entries = new JsonArray();
        foreach (var (entry, top, margin) in ordered.Take(MaxShown))
        {
            var json = EntriesApi.Describe(entry);
            json["topConfidence"] = top;
            json["margin"] = margin;
            entries.Add(json);
        }

        var stats = (await client.DescribeDatasetAsync(new DescribeDatasetRequest { DatasetArn = dataset }, context.RequestAborted).ConfigureAwait(false)).DatasetDescription!.DatasetStats;
        var total = stats?.TotalEntries ?? 0;
        var labeled = stats?.LabeledEntries ?? 0;
        await JsonAsync(context, new JsonObject
        {
            ["entries"] = entries,
            ["progress"] = new JsonObject
            {
                ["total"] = total,
                ["labeled"] = labeled,
                ["unlabeled"] = total - labeled,
                ["preLabeled"] = pending.Count,
                ["reviewed"] = labeled - pending.Count,
            },
        }).ConfigureAwait(false);
    }
}
