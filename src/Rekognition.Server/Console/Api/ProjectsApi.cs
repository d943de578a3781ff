using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Rekognition.Core;
using Rekognition.Core.Model;
using static Rekognition.Server.Console.ConsoleHttp;

namespace Rekognition.Server.Console.Api;

/// <summary>Projects and their datasets: list, create, delete, describe, through the service's operations.</summary>
internal sealed class ProjectsApi(IAmazonRekognition client)
{
    public async Task ListAsync(HttpContext context)
    {
        var projects = new JsonArray();
        string? token = null;
        do
        {
            var page = await client.DescribeProjectsAsync(new DescribeProjectsRequest { NextToken = token }, context.RequestAborted).ConfigureAwait(false);
            foreach (var p in page.ProjectDescriptions)
            {
                var datasets = new JsonArray();
                foreach (var d in p.Datasets)
                {
                    datasets.Add(new JsonObject { ["arn"] = d.DatasetArn, ["type"] = d.DatasetType?.Value, ["status"] = d.Status?.Value, ["statusMessage"] = d.StatusMessage });
                }

                projects.Add(new JsonObject
                {
                    ["arn"] = p.ProjectArn,
                    ["created"] = Ms(p.CreationTimestamp),
                    ["status"] = p.Status?.Value,
                    ["feature"] = p.Feature?.Value,
                    ["datasets"] = datasets,
                });
            }

            token = page.NextToken;
        }
        while (token is not null);

        await JsonAsync(context, new JsonObject { ["projects"] = projects }).ConfigureAwait(false);
    }

    public async Task CreateAsync(HttpContext context)
    {
        var body = await BodyAsync(context).ConfigureAwait(false);
        var response = await client.CreateProjectAsync(new CreateProjectRequest { ProjectName = String(body, "name") }, context.RequestAborted).ConfigureAwait(false);
        await JsonAsync(context, new JsonObject { ["arn"] = response.ProjectArn }).ConfigureAwait(false);
    }

    public async Task DeleteAsync(HttpContext context)
    {
        var body = await BodyAsync(context).ConfigureAwait(false);
        await client.DeleteProjectAsync(new DeleteProjectRequest { ProjectArn = String(body, "arn") }, context.RequestAborted).ConfigureAwait(false);
        await JsonAsync(context, new JsonObject()).ConfigureAwait(false);
    }

    public async Task CreateDatasetAsync(HttpContext context)
    {
        var body = await BodyAsync(context).ConfigureAwait(false);
        var request = new CreateDatasetRequest { ProjectArn = String(body, "project"), DatasetType = String(body, "type") is { } type ? DatasetType.FindValue(type) : null };
        if (String(body, "manifest") is { Length: > 0 } manifest)
        {
            request.DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = S3Location(manifest) } };
        }
        else if (String(body, "copyFrom") is { Length: > 0 } source)
        {
            request.DatasetSource = new DatasetSource { DatasetArn = source };
        }

        var response = await client.CreateDatasetAsync(request, context.RequestAborted).ConfigureAwait(false);
        await JsonAsync(context, new JsonObject { ["arn"] = response.DatasetArn }).ConfigureAwait(false);
    }

    public async Task DeleteDatasetAsync(HttpContext context)
    {
        var body = await BodyAsync(context).ConfigureAwait(false);
        await client.DeleteDatasetAsync(new DeleteDatasetRequest { DatasetArn = String(body, "arn") }, context.RequestAborted).ConfigureAwait(false);
        await JsonAsync(context, new JsonObject()).ConfigureAwait(false);
    }

    public async Task DescribeDatasetAsync(HttpContext context)
    {
        var d = (await client.DescribeDatasetAsync(new DescribeDatasetRequest { DatasetArn = Query(context, "arn") }, context.RequestAborted).ConfigureAwait(false)).DatasetDescription!;
        await JsonAsync(context, new JsonObject
        {
            ["arn"] = Query(context, "arn"),
            ["status"] = d.Status?.Value,
            ["statusMessage"] = d.StatusMessage,
            ["statusMessageCode"] = d.StatusMessageCode?.Value,
            ["created"] = Ms(d.CreationTimestamp),
            ["updated"] = Ms(d.LastUpdatedTimestamp),
            ["total"] = d.DatasetStats?.TotalEntries,
            ["labeled"] = d.DatasetStats?.LabeledEntries,
            ["errors"] = d.DatasetStats?.ErrorEntries,
            ["labels"] = d.DatasetStats?.TotalLabels,
        }).ConfigureAwait(false);
    }

    /// <summary>An <c>s3://bucket/key</c> text as the service's S3Object; the service checks the names.</summary>
    internal static S3Object S3Location(string uri)
    {
        if (!uri.StartsWith("s3://", StringComparison.Ordinal) || uri.IndexOf('/', 5) is var slash && slash < 6 || slash == uri.Length - 1)
        {
            throw new InvalidParameterException("Give the manifest as s3://bucket/key.");
        }

        return new S3Object { Bucket = uri[5..slash], Name = uri[(slash + 1)..] };
    }
}
