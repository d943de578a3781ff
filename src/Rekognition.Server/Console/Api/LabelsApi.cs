using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Rekognition.Core;
using Rekognition.Core.Editing;
using Rekognition.Core.Model;
using static Rekognition.Server.Console.ConsoleHttp;

namespace Rekognition.Server.Console.Api;

/// <summary>A dataset's label set: list (ListDatasetLabels), add, rename, merge and delete (the editor client).</summary>
internal sealed class LabelsApi(IAmazonRekognition client, IDatasetEditorClient editor)
{
    public async Task ListAsync(HttpContext context)
    {
        var labels = new JsonArray();
        string? token = null;
        do
        {
            var page = await client.ListDatasetLabelsAsync(new ListDatasetLabelsRequest { DatasetArn = Query(context, "dataset"), NextToken = token }, context.RequestAborted)
                .ConfigureAwait(false);
            foreach (var label in page.DatasetLabelDescriptions)
            {
                labels.Add(new JsonObject { ["name"] = label.LabelName, ["entries"] = label.LabelStats?.EntryCount, ["boxes"] = label.LabelStats?.BoundingBoxCount });
            }

            token = page.NextToken;
        }
        while (token is not null);

        await JsonAsync(context, new JsonObject { ["labels"] = labels }).ConfigureAwait(false);
    }

    public async Task AddAsync(HttpContext context)
    {
        var body = await BodyAsync(context).ConfigureAwait(false);
        await editor.AddLabelAsync(Required(body, "dataset"), String(body, "name")!, context.RequestAborted).ConfigureAwait(false);
        await JsonAsync(context, new JsonObject()).ConfigureAwait(false);
    }

    public async Task RenameAsync(HttpContext context)
    {
        var body = await BodyAsync(context).ConfigureAwait(false);
        var count = await editor.RenameLabelAsync(Required(body, "dataset"), String(body, "label")!, String(body, "newName")!, context.RequestAborted).ConfigureAwait(false);
        await JsonAsync(context, new JsonObject { ["rewritten"] = count }).ConfigureAwait(false);
    }

    public async Task MergeAsync(HttpContext context)
    {
        var body = await BodyAsync(context).ConfigureAwait(false);
        var count = await editor.MergeLabelsAsync(Required(body, "dataset"), String(body, "label")!, String(body, "into")!, context.RequestAborted).ConfigureAwait(false);
        await JsonAsync(context, new JsonObject { ["rewritten"] = count }).ConfigureAwait(false);
    }

    public async Task DeleteAsync(HttpContext context)
    {
        var body = await BodyAsync(context).ConfigureAwait(false);
        await editor.DeleteLabelAsync(Required(body, "dataset"), String(body, "label")!, context.RequestAborted).ConfigureAwait(false);
        await JsonAsync(context, new JsonObject()).ConfigureAwait(false);
    }

    public async Task ExportAsync(HttpContext context)
    {
        var dataset = Query(context, "dataset");
        var coco = context.Request.Query["format"] == "coco";
        context.Response.ContentType = coco ? "application/json" : "application/x-ndjson";
        context.Response.Headers.ContentDisposition = coco ? "attachment; filename=\"dataset.coco.json\"" : "attachment; filename=\"dataset.manifest\"";
        using var buffer = new MemoryStream();
        if (coco)
        {
            await editor.ExportCocoAsync(dataset, buffer, context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            await editor.ExportManifestAsync(dataset, buffer, context.RequestAborted).ConfigureAwait(false);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
