using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Management;

/// <summary>
/// Projects with trained versions for the management tests: wide images are "cat", tall ones "dog", learnt by
/// <see cref="AspectRatioTrainer"/>, so what a version (or its copy) predicts is known.
/// </summary>
internal static class TrainedModels
{
    public static readonly OutputConfig Output = new() { S3Bucket = "artifacts", S3KeyPrefix = "pets/" };

    /// <summary>A store (with the aspect-ratio trainer and runtime) for <paramref name="account"/>.</summary>
    public static TestStore Store(string account = "123456789012") =>
        new(new AspectRatioRuntime(), new AspectRatioTrainer(), o => o.AccountId = account);

    /// <summary>Creates <paramref name="project"/> with TRAIN and TEST datasets of cats and dogs; <paramref name="dogs"/> 0 makes training fail.</summary>
    public static async Task<string> ProjectAsync(TestStore store, string project = "pets", int cats = 8, int dogs = 8)
    {
        var arn = await store.CreateProjectAsync(project);
        await PetDatasets.CreateAsync(store, arn, "TRAIN", $"{project}-train", cats, dogs);
        await PetDatasets.CreateAsync(store, arn, "TEST", $"{project}-test", 3, dogs == 0 ? 0 : 3);
        return arn;
    }

    /// <summary>Trains <paramref name="name"/> and waits for the training to end.</summary>
    public static async Task<ProjectVersionDescription> TrainAsync(TestStore store, string project, string name = "v1")
    {
        var arn = (await store.Client.CreateProjectVersionAsync(new CreateProjectVersionRequest { ProjectArn = project, VersionName = name, OutputConfig = Output })).ProjectVersionArn!;
        return await DescribeAsync(store, project, arn);
    }

    /// <summary>Waits for the store's background work and describes one version.</summary>
    public static async Task<ProjectVersionDescription> DescribeAsync(TestStore store, string project, string versionArn)
    {
        await store.Client.WhenIdleAsync();
        var all = await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project });
        return all.ProjectVersionDescriptions.Single(v => v.ProjectVersionArn == versionArn);
    }

    /// <summary>Starts a version and waits until it runs.</summary>
    public static async Task StartAsync(TestStore store, string project, string versionArn)
    {
        await store.Client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = versionArn, MinInferenceUnits = 1 });
        var running = await DescribeAsync(store, project, versionArn);
        Assert.That(running.Status, Is.EqualTo(ProjectVersionStatus.RUNNING), running.StatusMessage);
    }

    /// <summary>The labels a running version returns for a <paramref name="width"/> x <paramref name="height"/> image.</summary>
    public static async Task<List<CustomLabel>> DetectAsync(RekognitionCustomLabelsClient client, string versionArn, int width, int height, float? minConfidence = 0)
    {
        var response = await client.DetectCustomLabelsAsync(new DetectCustomLabelsRequest
        {
            ProjectVersionArn = versionArn,
            Image = new Image { Bytes = new MemoryStream(PngBuilder.Rgb(width, height)) },
            MinConfidence = minConfidence,
        });
        return response.CustomLabels;
    }

    /// <summary>The ARN of a project's TRAIN or TEST dataset.</summary>
    public static async Task<string> DatasetArnAsync(TestStore store, string project, string type = "TRAIN")
    {
        var projects = await store.Client.DescribeProjectsAsync(new DescribeProjectsRequest());
        return projects.ProjectDescriptions.Single(p => p.ProjectArn == project).Datasets.Single(d => d.DatasetType!.Value == type).DatasetArn!;
    }

    /// <summary>Every entry of a dataset, as JSON lines.</summary>
    public static async Task<List<string>> EntriesAsync(TestStore store, string datasetArn)
    {
        var entries = new List<string>();
        string? token = null;
        do
        {
            var page = await store.Client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = datasetArn, NextToken = token });
            entries.AddRange(page.DatasetEntries);
            token = page.NextToken;
        }
        while (token is not null);
        return entries;
    }
}
