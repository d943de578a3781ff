using System.Text.Json;
using Rekognition.Core;
using Rekognition.Core.Model;
using Spectre.Console;

namespace QuickStart;

/// <summary>The QuickStart's housekeeping: writing its dataset, cleaning up a previous run, waiting on statuses.</summary>
internal static class Workspace
{
    /// <summary>Writes the shape images under the bucket and a manifest naming them; returns the manifest's key.</summary>
    public static string WriteShapesDataset(string bucketsRoot, string bucket, int imagesPerLabel)
    {
        var folder = Path.Combine(bucketsRoot, bucket, "shapes");
        Directory.CreateDirectory(folder);
        const string manifestKey = "shapes/train.manifest";
        using var manifest = File.Create(Path.Combine(bucketsRoot, bucket, manifestKey));
        using var json = new Utf8JsonWriter(manifest);
        foreach (var label in SyntheticShapes.Labels)
        {
            for (var i = 0; i < imagesPerLabel; i++)
            {
                var key = $"shapes/{label}_{i:D3}.png";
                File.WriteAllBytes(Path.Combine(bucketsRoot, bucket, key), SyntheticShapes.Draw(label, i));
                json.Reset();
                json.WriteStartObject();
                json.WriteString("source-ref", $"s3://{bucket}/{key}");
                json.WriteNumber("shape", 0);
                json.WriteStartObject("shape-metadata");
                json.WriteNumber("confidence", 1);
                json.WriteString("job-name", "labeling-job/shapes");
                json.WriteString("class-name", label);
                json.WriteString("human-annotated", "yes");
                json.WriteString("creation-date", "2026-11-24T00:00:00");
                json.WriteString("type", "groundtruth/image-classification");
                json.WriteEndObject();
                json.WriteEndObject();
                json.Flush();
                manifest.WriteByte((byte)'\n');
            }
        }

        return manifestKey;
    }

    public static async Task DeleteProjectIfPresentAsync(IAmazonRekognition rekognition, string projectName)
    {
        var existing = await rekognition.DescribeProjectsAsync(new DescribeProjectsRequest { ProjectNames = { projectName } });
        foreach (var project in existing.ProjectDescriptions)
        {
            foreach (var dataset in project.Datasets)
            {
                await WaitForDatasetAsync(rekognition, dataset.DatasetArn!, "Waiting for a previous run's dataset");
                await rekognition.DeleteDatasetAsync(new DeleteDatasetRequest { DatasetArn = dataset.DatasetArn });
            }

            await rekognition.DeleteProjectAsync(new DeleteProjectRequest { ProjectArn = project.ProjectArn });
        }
    }

    /// <summary>Polls DescribeDataset until the running operation ends, showing its status; fails on *_FAILED.</summary>
    public static async Task<DatasetDescription> WaitForDatasetAsync(IAmazonRekognition rekognition, string datasetArn, string what)
    {
        var description = await AnsiConsole.Status().StartAsync(what, async context =>
        {
            while (true)
            {
                var current = (await rekognition.DescribeDatasetAsync(new DescribeDatasetRequest { DatasetArn = datasetArn })).DatasetDescription!;
                context.Status($"{what}: {current.Status}");
                if (!current.Status!.Value.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
                {
                    return current;
                }

                await Task.Delay(100);
            }
        });
        if (description.Status!.Value.EndsWith("_FAILED", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{what} failed: {description.StatusMessage}");
        }

        AnsiConsole.MarkupLine($"{Markup.Escape(what)}: [green]{description.Status}[/] [grey]{Markup.Escape(description.StatusMessage ?? "")}[/]");
        return description;
    }
}
