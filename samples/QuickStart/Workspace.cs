using Rekognition.Core;
using Rekognition.Core.Manifests;
using Rekognition.Core.Model;
using Spectre.Console;

namespace QuickStart;

/// <summary>The QuickStart's housekeeping: writing its dataset, cleaning up a previous run, waiting on statuses.</summary>
internal static class Workspace
{
    /// <summary>Writes the shape images under the bucket and a manifest naming them; returns the manifest's key.</summary>
    public static string WriteShapesDataset(string bucketsRoot, string bucket, int imagesPerLabel)
    {
        Directory.CreateDirectory(Path.Combine(bucketsRoot, bucket, "shapes"));
        const string manifestKey = "shapes/train.manifest";
        using var manifest = new GroundTruthManifestWriter(File.Create(Path.Combine(bucketsRoot, bucket, manifestKey)));
        var labelledAt = ManifestTimestamp.UtcNow;
        foreach (var label in SyntheticShapes.Labels)
        {
            for (var i = 0; i < imagesPerLabel; i++)
            {
                var key = $"shapes/{label}_{i:D3}.png";
                File.WriteAllBytes(Path.Combine(bucketsRoot, bucket, key), SyntheticShapes.Draw(label, i));
                manifest.WriteClassification($"s3://{bucket}/{key}", new ImageLabel("shape", label, labelledAt) { JobName = "labeling-job/shapes" });
            }
        }

        return manifestKey;
    }

    public static async Task DeleteProjectIfPresentAsync(IAmazonRekognition rekognition, string projectName)
    {
        var existing = await rekognition.DescribeProjectsAsync(new DescribeProjectsRequest { ProjectNames = { projectName } });
        foreach (var project in existing.ProjectDescriptions)
        {
            var versions = await rekognition.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project.ProjectArn });
            foreach (var version in versions.ProjectVersionDescriptions)
            {
                if (version.Status == ProjectVersionStatus.RUNNING || version.Status == ProjectVersionStatus.STARTING)
                {
                    await rekognition.StopProjectVersionAsync(new StopProjectVersionRequest { ProjectVersionArn = version.ProjectVersionArn });
                }

                await WaitForVersionAsync(rekognition, project.ProjectArn!, version.ProjectVersionArn!, "Stopping a previous run's model",
                    s => s != ProjectVersionStatus.STOPPING.Value && s != ProjectVersionStatus.STARTING.Value && s != ProjectVersionStatus.TRAINING_IN_PROGRESS.Value);
                await rekognition.DeleteProjectVersionAsync(new DeleteProjectVersionRequest { ProjectVersionArn = version.ProjectVersionArn });
            }

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

    /// <summary>Polls DescribeProjectVersions until <paramref name="done"/> holds for the version's status, showing its message.</summary>
    public static async Task<ProjectVersionDescription> WaitForVersionAsync(
        IAmazonRekognition rekognition, string projectArn, string versionArn, string what, Func<string, bool> done)
    {
        return await AnsiConsole.Status().StartAsync(what, async context =>
        {
            while (true)
            {
                var current = (await rekognition.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = projectArn }))
                    .ProjectVersionDescriptions.Single(v => v.ProjectVersionArn == versionArn);
                context.Status($"{what}: {current.Status} {current.StatusMessage}");
                if (done(current.Status!.Value))
                {
                    return current;
                }

                await Task.Delay(200);
            }
        });
    }
}
