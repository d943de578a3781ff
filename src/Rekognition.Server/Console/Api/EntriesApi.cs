using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Rekognition.Core;
using Rekognition.Core.Editing;
using Rekognition.Core.Images;
using Rekognition.Core.Labeling;
using Rekognition.Core.Model;
using static Rekognition.Server.Console.ConsoleHttp;

namespace Rekognition.Server.Console.Api;

/// <summary>A dataset's entries: the gallery's pages, an entry's image and thumbnail, and label saves with their revision.</summary>
internal sealed class EntriesApi(IDatasetEditorClient editor, ILabelingClient labeling, Thumbnails thumbnails, TimeProvider time)
{
    /// <summary>Largest page the gallery asks for (ListDatasetEntries' own limit).</summary>
    private const int MaxPage = 100;

    public async Task ListAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var request = new ListDatasetEntriesRequest
        {
            DatasetArn = Query(context, "dataset"),
            ContainsLabels = [.. query["label"].Where(l => l is not null).Select(l => l!)],
            Labeled = QueryBool(context, "labeled"),
            HasErrors = QueryBool(context, "errors"),
            SourceRefContains = query["contains"].ToString() is { Length: > 0 } contains ? contains : null,
            NextToken = query["token"].ToString() is { Length: > 0 } token ? token : null,
            MaxResults = int.TryParse(query["limit"], System.Globalization.CultureInfo.InvariantCulture, out var limit) ? limit : 50,
        };
        if (request.MaxResults > MaxPage)
        {
            request.MaxResults = MaxPage;
        }

        var page = await editor.ListEntriesAsync(request, context.RequestAborted).ConfigureAwait(false);
        var entries = new JsonArray();
        foreach (var entry in page.Entries)
        {
            entries.Add(Describe(entry));
        }

        await JsonAsync(context, new JsonObject { ["entries"] = entries, ["nextToken"] = page.NextToken }).ConfigureAwait(false);
    }

    /// <summary>One entry, by its exact source-ref.</summary>
    public async Task GetAsync(HttpContext context)
    {
        var entry = await editor.GetEntryAsync(Query(context, "dataset"), Query(context, "ref"), context.RequestAborted).ConfigureAwait(false);
        await JsonAsync(context, Describe(entry)).ConfigureAwait(false);
    }

    /// <summary>Saves an entry's labels and boxes over the line it had at the revision the page read.</summary>
    public async Task SaveAsync(HttpContext context)
    {
        var body = await BodyAsync(context).ConfigureAwait(false);
        var dataset = Required(body, "dataset");
        var sourceRef = Required(body, "sourceRef");
        var revision = Long(body, "revision");
        var current = await FindAsync(dataset, sourceRef, context.RequestAborted).ConfigureAwait(false);
        var annotations = EntryAnnotations.Parse(current.Line);
        var labels = (body["labels"] as JsonArray ?? []).Select(l => new EntryLabel(l is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new InvalidParameterException("labels must be strings."))).ToList();
        var boxes = (body["boxes"] as JsonArray ?? []).Select(Box).ToList();
        int? width = annotations.ImageWidth, height = annotations.ImageHeight;
        if (boxes.Count > 0 && (width is null || height is null))
        {
            (width, height) = await SizeAsync(dataset, sourceRef, context.RequestAborted).ConfigureAwait(false);
        }

        var line = new EntryAnnotations(sourceRef, labels, boxes, width, height).ToLine(current.Line, time.GetUtcNow().UtcDateTime);
        var saved = await editor.SaveEntryAsync(dataset, line, revision, context.RequestAborted).ConfigureAwait(false);
        await JsonAsync(context, new JsonObject { ["revision"] = saved }).ConfigureAwait(false);
    }

    /// <summary>Rejects an entry's labels (human or suggested): it goes back to the unlabelled queue.</summary>
    public async Task RejectAsync(HttpContext context)
    {
        var body = await BodyAsync(context).ConfigureAwait(false);
        var dataset = Required(body, "dataset");
        var sourceRef = Required(body, "sourceRef");
        var current = await FindAsync(dataset, sourceRef, context.RequestAborted).ConfigureAwait(false);
        var line = new EntryAnnotations(sourceRef, [], []).ToLine(current.Line, time.GetUtcNow().UtcDateTime);
        var saved = await editor.SaveEntryAsync(dataset, line, Long(body, "revision"), context.RequestAborted).ConfigureAwait(false);
        await JsonAsync(context, new JsonObject { ["revision"] = saved }).ConfigureAwait(false);
    }

    /// <summary>Pre-labels the unlabelled entries with a running version (the assisted-labelling client).</summary>
    public async Task PreLabelAsync(HttpContext context)
    {
        var body = await BodyAsync(context).ConfigureAwait(false);
        var result = await labeling.PreLabelDatasetAsync(Required(body, "dataset"), Required(body, "version"), null, context.RequestAborted).ConfigureAwait(false);
        await JsonAsync(context, new JsonObject { ["preLabeled"] = result.PreLabeled, ["withoutSuggestion"] = result.WithoutSuggestion }).ConfigureAwait(false);
    }

    public async Task ImageAsync(HttpContext context)
    {
        var stream = await editor.OpenImageAsync(Query(context, "dataset"), Query(context, "ref"), context.RequestAborted).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var head = new byte[Math.Min(stream.Length, 16)];
            await stream.ReadExactlyAsync(head, context.RequestAborted).ConfigureAwait(false);
            stream.Position = 0;
            context.Response.ContentType = head is [0x89, 0x50, ..] ? "image/png" : head is [0xFF, 0xD8, ..] ? "image/jpeg" : "application/octet-stream";
            context.Response.Headers.CacheControl = "private, max-age=300";
            context.Response.ContentLength = stream.Length;
            await stream.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    public async Task ThumbnailAsync(HttpContext context)
    {
        var jpeg = await thumbnails.GetAsync(Query(context, "dataset"), Query(context, "ref"), context.RequestAborted).ConfigureAwait(false);
        context.Response.ContentType = "image/jpeg";
        context.Response.Headers.CacheControl = "private, max-age=300";
        context.Response.ContentLength = jpeg.Length;
        await context.Response.Body.WriteAsync(jpeg, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The JSON the page reads for an entry.</summary>
    internal static JsonObject Describe(EditableEntry entry)
    {
        EntryAnnotations? annotations = null;
        try
        {
            annotations = EntryAnnotations.Parse(entry.Line);
        }
        catch (InvalidParameterException)
        {
            // A line the validator kept with errors may not parse as labels; the page shows its errors.
        }

        var labels = new JsonArray();
        var boxes = new JsonArray();
        foreach (var label in annotations?.Labels ?? [])
        {
            labels.Add(new JsonObject { ["name"] = label.Name, ["confidence"] = label.Confidence });
        }

        foreach (var box in annotations?.Boxes ?? [])
        {
            boxes.Add(new JsonObject { ["label"] = box.Label, ["left"] = box.Left, ["top"] = box.Top, ["width"] = box.Width, ["height"] = box.Height, ["confidence"] = box.Confidence });
        }

        var errors = new JsonArray();
        foreach (var code in ErrorCodes(JsonNode.Parse(entry.Line)).Distinct())
        {
            errors.Add(code);
        }

        return new JsonObject
        {
            ["sourceRef"] = entry.SourceRef,
            ["revision"] = entry.Revision,
            ["labels"] = labels,
            ["boxes"] = boxes,
            ["width"] = annotations?.ImageWidth,
            ["height"] = annotations?.ImageHeight,
            ["machine"] = annotations?.MachineAnnotated ?? false,
            ["errors"] = errors,
        };
    }

    /// <summary>The entry with this exact source-ref.</summary>
    internal Task<EditableEntry> FindAsync(string dataset, string sourceRef, CancellationToken cancellationToken) =>
        editor.GetEntryAsync(dataset, sourceRef, cancellationToken);

    private async Task<(int, int)> SizeAsync(string dataset, string sourceRef, CancellationToken cancellationToken)
    {
        var stream = await editor.OpenImageAsync(dataset, sourceRef, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var bytes = new byte[stream.Length];
            await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            var info = ImageHeaderProbe.Probe(bytes);
            return info.IsOk ? (info.Width, info.Height) : throw new InvalidImageFormatException("The entry's image is neither a complete PNG nor a complete JPEG, so it cannot carry boxes.");
        }
    }

    private static EntryBox Box(JsonNode? node)
    {
        if (node is not JsonObject box)
        {
            throw new InvalidParameterException("Each box must be an object with label, left, top, width and height.");
        }

        return new EntryBox(Required(box, "label"), (int)(Long(box, "left") ?? 0), (int)(Long(box, "top") ?? 0), (int)(Long(box, "width") ?? 0), (int)(Long(box, "height") ?? 0));
    }

    private static IEnumerable<string> ErrorCodes(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o)
                {
                    if (name == "errors" && value is JsonArray issues)
                    {
                        foreach (var issue in issues.OfType<JsonObject>())
                        {
                            if (issue["code"] is JsonValue code && code.TryGetValue<string>(out var text))
                            {
                                yield return text;
                            }
                        }
                    }
                    else
                    {
                        foreach (var inner in ErrorCodes(value))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    foreach (var inner in ErrorCodes(item))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }
}
