using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Rekognition.Core;
using Rekognition.Core.EvaluationViews;
using Rekognition.Core.Model;
using Rekognition.Core.QuickTest;
using static Rekognition.Server.Console.ConsoleHttp;

namespace Rekognition.Server.Console.Api;

/// <summary>Model versions: train, list with progress, start and stop on units, the evaluation, and the quick test.</summary>
internal sealed class VersionsApi(IAmazonRekognition client, IEvaluationViewClient evaluations, IQuickTestClient quickTest)
{
    /// <summary>Largest upload to the quick test: DetectCustomLabels' 4 MB for image bytes (its own check says so in words).</summary>
    private const int MaxImageBytes = 4 * 1024 * 1024;

    public async Task ListAsync(HttpContext context)
    {
        var versions = new JsonArray();
        string? token = null;
        do
        {
            var page = await client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = Query(context, "project"), NextToken = token }, context.RequestAborted)
                .ConfigureAwait(false);
            foreach (var v in page.ProjectVersionDescriptions)
            {
                versions.Add(new JsonObject
                {
                    ["arn"] = v.ProjectVersionArn,
                    ["status"] = v.Status?.Value,
                    ["statusMessage"] = v.StatusMessage,
                    ["created"] = Ms(v.CreationTimestamp),
                    ["trainingEnd"] = Ms(v.TrainingEndTimestamp),
                    ["f1"] = v.EvaluationResult?.F1Score,
                    ["minUnits"] = v.MinInferenceUnits,
                    ["maxUnits"] = v.MaxInferenceUnits,
                    ["billableTrainingSeconds"] = v.BillableTrainingTimeInSeconds,
                });
            }

            token = page.NextToken;
        }
        while (token is not null);

        await JsonAsync(context, new JsonObject { ["versions"] = versions }).ConfigureAwait(false);
    }

    public async Task TrainAsync(HttpContext context)
    {
        var body = await BodyAsync(context).ConfigureAwait(false);
        var response = await client.CreateProjectVersionAsync(new CreateProjectVersionRequest
        {
            ProjectArn = String(body, "project"),
            VersionName = String(body, "name"),
            OutputConfig = new OutputConfig { S3Bucket = String(body, "outputBucket"), S3KeyPrefix = String(body, "outputPrefix") },
        }, context.RequestAborted).ConfigureAwait(false);
        await JsonAsync(context, new JsonObject { ["arn"] = response.ProjectVersionArn }).ConfigureAwait(false);
    }

    public async Task StartAsync(HttpContext context)
    {
        var body = await BodyAsync(context).ConfigureAwait(false);
        var response = await client.StartProjectVersionAsync(new StartProjectVersionRequest
        {
            ProjectVersionArn = String(body, "arn"),
            MinInferenceUnits = (int?)Long(body, "minUnits"),
            MaxInferenceUnits = (int?)Long(body, "maxUnits"),
        }, context.RequestAborted).ConfigureAwait(false);
        await JsonAsync(context, new JsonObject { ["status"] = response.Status?.Value }).ConfigureAwait(false);
    }

    public async Task StopAsync(HttpContext context)
    {
        var body = await BodyAsync(context).ConfigureAwait(false);
        var response = await client.StopProjectVersionAsync(new StopProjectVersionRequest { ProjectVersionArn = String(body, "arn") }, context.RequestAborted).ConfigureAwait(false);
        await JsonAsync(context, new JsonObject { ["status"] = response.Status?.Value }).ConfigureAwait(false);
    }

    public async Task EvaluationAsync(HttpContext context)
    {
        var evaluation = await evaluations.GetEvaluationAsync(Query(context, "version"), context.RequestAborted).ConfigureAwait(false);
        var labels = new JsonArray();
        foreach (var l in evaluation.Labels)
        {
            labels.Add(new JsonObject { ["label"] = l.Label, ["testImages"] = l.TestImages, ["threshold"] = l.Threshold, ["precision"] = l.Precision, ["recall"] = l.Recall, ["f1"] = l.F1Score });
        }

        var images = new JsonArray();
        foreach (var image in evaluation.Images)
        {
            var outcomes = new JsonArray();
            foreach (var o in image.Outcomes)
            {
                outcomes.Add(new JsonObject { ["label"] = o.Label, ["outcome"] = o.Outcome, ["confidence"] = o.Confidence, ["box"] = o.Box is { } b ? new JsonArray(b[0], b[1], b[2], b[3]) : null });
            }

            var truthBoxes = new JsonArray();
            foreach (var (label, b) in image.GroundTruthBoxes)
            {
                truthBoxes.Add(new JsonObject { ["label"] = label, ["box"] = new JsonArray(b[0], b[1], b[2], b[3]) });
            }

            images.Add(new JsonObject
            {
                ["sourceRef"] = image.SourceRef,
                ["groundTruth"] = new JsonArray([.. image.GroundTruth.Select(g => (JsonNode)g)]),
                ["groundTruthBoxes"] = truthBoxes,
                ["outcomes"] = outcomes,
            });
        }

        await JsonAsync(context, new JsonObject
        {
            ["precision"] = evaluation.Precision,
            ["recall"] = evaluation.Recall,
            ["f1"] = evaluation.F1Score,
            ["labels"] = labels,
            ["images"] = images,
        }).ConfigureAwait(false);
    }

    public async Task CurvesAsync(HttpContext context)
    {
        var curves = await evaluations.GetPrecisionRecallCurvesAsync(Query(context, "version"), context.RequestAborted).ConfigureAwait(false);
        var result = new JsonArray();
        foreach (var curve in curves)
        {
            var points = new JsonArray();
            foreach (var p in curve.Points)
            {
                points.Add(new JsonArray(p.Threshold, p.Precision, p.Recall));
            }

            result.Add(new JsonObject { ["label"] = curve.Label, ["points"] = points });
        }

        await JsonAsync(context, new JsonObject { ["curves"] = result }).ConfigureAwait(false);
    }

    /// <summary>The quick test: the request body is the image's bytes.</summary>
    public async Task QuickTestAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxImageBytes + 1)
        {
            throw new ImageTooLargeException("The image is larger than 4 MB, DetectCustomLabels' limit for image bytes.");
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (buffer.Length > MaxImageBytes)
        {
            throw new ImageTooLargeException("The image is larger than 4 MB, DetectCustomLabels' limit for image bytes.");
        }

        float? minConfidence = float.TryParse(context.Request.Query["minConfidence"], System.Globalization.CultureInfo.InvariantCulture, out var min) ? min : null;
        var labels = await quickTest.QuickTestAsync(Query(context, "version"), buffer.GetBuffer().AsMemory(0, (int)buffer.Length), minConfidence, context.RequestAborted).ConfigureAwait(false);
        var result = new JsonArray();
        foreach (var label in labels)
        {
            var box = label.Geometry?.BoundingBox;
            result.Add(new JsonObject
            {
                ["name"] = label.Name,
                ["confidence"] = label.Confidence,
                ["box"] = box is null ? null : new JsonArray(box.Left, box.Top, box.Width, box.Height),
            });
        }

        await JsonAsync(context, new JsonObject { ["labels"] = result }).ConfigureAwait(false);
    }
}
