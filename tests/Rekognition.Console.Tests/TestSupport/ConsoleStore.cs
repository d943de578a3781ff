using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core;
using Rekognition.Core.Model;
using Rekognition.Server.Tests.TestSupport;
using SkiaSharp;

namespace Rekognition.Console.Tests.TestSupport;

/// <summary>What the console tests set up and check through the library's own client, beside the browser.</summary>
public static class ConsoleStore
{
    public static IAmazonRekognition Client(LocalServerFixture server) => server.Services.GetRequiredService<IAmazonRekognition>();

    /// <summary>Writes labelled scenes (and <paramref name="unlabelled"/> images without labels) under s3://media/{folder}/ and a manifest naming them; returns its s3:// URI.</summary>
    public static string SceneManifest(LocalServerFixture server, string folder, int perLabel, int unlabelled = 0)
    {
        var lines = new StringBuilder();
        foreach (var (label, colour) in new[] { ("red", new SKColor(220, 30, 30)), ("blue", new SKColor(30, 30, 220)) })
        {
            for (var i = 0; i < perLabel; i++)
            {
                var uri = server.PutObject("media", $"{folder}/{label}{i}.png", ConsoleImages.Scene(colour, i));
                lines.Append(ManifestLines.Classification(uri, label, "colour")).Append('\n');
            }
        }

        for (var i = 0; i < unlabelled; i++)
        {
            var uri = server.PutObject("media", $"{folder}/new{i}.png", ConsoleImages.Scene(new SKColor(30, 200, 30), i));
            lines.Append($$"""{"source-ref":"{{uri}}"}""").Append('\n');
        }

        return server.PutObject("media", $"{folder}.manifest", Encoding.UTF8.GetBytes(lines.ToString()));
    }

    /// <summary>Colour squares the trainer tells apart quickly (as the server's lifecycle test uses).</summary>
    public static string SquareManifest(LocalServerFixture server, string folder, int perLabel)
    {
        var lines = new StringBuilder();
        foreach (var (label, colour) in new[] { ("red", new SKColor(220, 30, 30)), ("blue", new SKColor(30, 30, 220)) })
        {
            for (var i = 0; i < perLabel; i++)
            {
                var uri = server.PutObject("media", $"{folder}/{label}{i}.png", ColourSquares.Png(colour, i + (label == "red" ? 0 : 1000) + folder.Length * 7919));
                lines.Append(ManifestLines.Classification(uri, label, "colour")).Append('\n');
            }
        }

        return server.PutObject("media", $"{folder}.manifest", Encoding.UTF8.GetBytes(lines.ToString()));
    }

    /// <summary>A dataset made from a manifest, once its import ended.</summary>
    public static async Task<string> DatasetAsync(LocalServerFixture server, string project, DatasetType type, string manifestUri)
    {
        var key = manifestUri["s3://media/".Length..];
        var arn = (await Client(server).CreateDatasetAsync(new CreateDatasetRequest
        {
            ProjectArn = project,
            DatasetType = type,
            DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = "media", Name = key } } },
        })).DatasetArn!;
        await SettledAsync(server, arn);
        return arn;
    }

    /// <summary>The dataset once no operation runs on it.</summary>
    public static async Task<DatasetDescription> SettledAsync(LocalServerFixture server, string datasetArn)
    {
        for (var i = 0; i < 600; i++)
        {
            var d = (await Client(server).DescribeDatasetAsync(new DescribeDatasetRequest { DatasetArn = datasetArn })).DatasetDescription!;
            if (!d.Status.Value.EndsWith("IN_PROGRESS", StringComparison.Ordinal))
            {
                return d;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{datasetArn} is still busy.");
    }

    /// <summary>Every entry line of a dataset.</summary>
    public static async Task<List<string>> EntriesAsync(LocalServerFixture server, string datasetArn, bool? labeled = null)
    {
        var lines = new List<string>();
        string? token = null;
        do
        {
            var page = await Client(server).ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = datasetArn, Labeled = labeled, NextToken = token });
            lines.AddRange(page.DatasetEntries);
            token = page.NextToken;
        }
        while (token is not null);

        return lines;
    }

    /// <summary>Waits until a version has <paramref name="wanted"/>'s status (a minute at most).</summary>
    public static async Task VersionStatusAsync(LocalServerFixture server, string project, string version, ProjectVersionStatus wanted)
    {
        for (var i = 0; i < 1200; i++)
        {
            var described = (await Client(server).DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project })).ProjectVersionDescriptions
                .Single(v => v.ProjectVersionArn == version);
            if (described.Status == wanted)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{version} never became {wanted.Value}.");
    }
}
