using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Server.Tests.Properties;

/// <summary>
/// Resources made on a fresh server before requests are generated, so that generated ARNs can name
/// things that exist: kept projects (<c>seed-0</c>, ...) with TRAIN and TEST datasets (the first TRAIN
/// one with entries) and a project policy, and disposable ones (<c>spare-0</c>, ...) for Delete* requests;
/// optionally a project <c>colours</c> with a model trained on colour squares and started.
/// NextTokens seen in answers are kept so later requests can reuse real ones.
/// </summary>
public sealed class SeededState
{
    public const string PolicyDocument = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"rekognition:CopyProjectVersion","Resource":"arn:aws:rekognition:us-east-1:123456789012:project/seed-0/version/*"}]}
        """;

    /// <summary>Projects and their TRAIN and TEST datasets (index i of each list belongs to project i).</summary>
    public sealed record Resources(IReadOnlyList<string> Projects, IReadOnlyList<string> TrainDatasets, IReadOnlyList<string> TestDatasets)
    {
        /// <summary>Model versions (none unless a model was trained).</summary>
        public IReadOnlyList<string> Versions { get; init; } = [];

        public IEnumerable<string> Datasets => TrainDatasets.Concat(TestDatasets);
    }

    private SeededState(Resources kept, Resources disposable)
    {
        Kept = kept;
        Disposable = disposable;
    }

    public Resources Kept { get; }

    public Resources Disposable { get; }

    /// <summary>NextToken values the server has handed out.</summary>
    public ConcurrentQueue<string> Tokens { get; } = new();

    /// <summary>Replaces <c>{PROJECT0}</c>, <c>{TRAIN0}</c>, <c>{TEST1}</c>, ... in <paramref name="body"/> with the kept ARNs.</summary>
    public string Fill(string body)
    {
        for (var i = 0; i < Kept.Projects.Count; i++)
        {
            body = body.Replace($"{{PROJECT{i}}}", Kept.Projects[i], StringComparison.Ordinal)
                .Replace($"{{TRAIN{i}}}", Kept.TrainDatasets[i], StringComparison.Ordinal)
                .Replace($"{{TEST{i}}}", Kept.TestDatasets[i], StringComparison.Ordinal);
        }

        return body;
    }

    /// <summary>Makes the kept and disposable projects on the server, and with <paramref name="model"/> a running model.</summary>
    public static async Task<SeededState> CreateAsync(LocalServerFixture server, WireClient client, int kept = 3, int disposable = 3, bool model = false)
    {
        var keptResources = await ProjectsAsync(client, "seed", kept);
        if (model)
        {
            var trained = await TrainedModelAsync(server, client);
            keptResources = new Resources([.. keptResources.Projects, trained.Project], [.. keptResources.TrainDatasets, trained.Train], [.. keptResources.TestDatasets, trained.Test])
            {
                Versions = [trained.Version],
            };
        }

        var disposableResources = await ProjectsAsync(client, "spare", disposable);

        var lines = new StringBuilder();
        for (var i = 0; i < 6; i++)
        {
            var sourceRef = server.PutObject("seed", $"images/{i}.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
            lines.Append(ManifestLines.Classification(sourceRef, i % 2 == 0 ? "cat" : "dog")).Append('\n');
        }

        var train = keptResources.TrainDatasets[0];
        var changes = JsonSerializer.Serialize(new { DatasetArn = train, Changes = new { GroundTruth = Convert.ToBase64String(Encoding.UTF8.GetBytes(lines.ToString())) } });
        Ok(await client.SendAsync("RekognitionService.UpdateDatasetEntries", changes));
        await WaitUntilSettledAsync(client, train);
        Ok(await client.SendAsync("RekognitionService.PutProjectPolicy",
            JsonSerializer.Serialize(new { ProjectArn = keptResources.Projects[0], PolicyName = "seed-policy", PolicyDocument })));
        return new SeededState(keptResources, disposableResources);
    }

    private static async Task<Resources> ProjectsAsync(WireClient client, string prefix, int count)
    {
        var projects = new List<string>();
        var train = new List<string>();
        var test = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var project = Ok(await client.SendAsync("RekognitionService.CreateProject", $$"""{"ProjectName":"{{prefix}}-{{i}}"}""")).GetProperty("ProjectArn").GetString()!;
            projects.Add(project);
            foreach (var (type, into) in new[] { ("TRAIN", train), ("TEST", test) })
            {
                var dataset = Ok(await client.SendAsync("RekognitionService.CreateDataset", $$"""{"ProjectArn":"{{project}}","DatasetType":"{{type}}"}"""));
                into.Add(dataset.GetProperty("DatasetArn").GetString()!);
            }
        }

        return new Resources(projects, train, test);
    }

    /// <summary>Trains a classifier of red and blue squares through the protocol and starts it.</summary>
    private static async Task<(string Project, string Train, string Test, string Version)> TrainedModelAsync(LocalServerFixture server, WireClient client)
    {
        var project = Ok(await client.SendAsync("RekognitionService.CreateProject", """{"ProjectName":"colours"}""")).GetProperty("ProjectArn").GetString()!;
        var datasets = new List<string>();
        foreach (var (type, count) in new[] { ("TRAIN", 12), ("TEST", 4) })
        {
            var lines = new StringBuilder();
            foreach (var (label, colour) in new[] { ("red", new SkiaSharp.SKColor(220, 30, 30)), ("blue", new SkiaSharp.SKColor(30, 30, 220)) })
            {
                for (var i = 0; i < count; i++)
                {
                    var uri = server.PutObject("colours", $"{type}/{label}{i}.png", ColourSquares.Png(colour, i + (label == "red" ? 0 : 1000) + (type == "TEST" ? 5000 : 0)));
                    lines.Append(ManifestLines.Classification(uri, label)).Append('\n');
                }
            }

            server.PutObject("colours", $"{type}.manifest", Encoding.UTF8.GetBytes(lines.ToString()));
            var created = Ok(await client.SendAsync("RekognitionService.CreateDataset", JsonSerializer.Serialize(new
            {
                ProjectArn = project,
                DatasetType = type,
                DatasetSource = new { GroundTruthManifest = new { S3Object = new { Bucket = "colours", Name = $"{type}.manifest" } } },
            })));
            datasets.Add(created.GetProperty("DatasetArn").GetString()!);
        }

        foreach (var dataset in datasets)
        {
            await WaitUntilSettledAsync(client, dataset, "CREATE_COMPLETE");
        }

        var version = Ok(await client.SendAsync("RekognitionService.CreateProjectVersion", JsonSerializer.Serialize(new
        {
            ProjectArn = project,
            VersionName = "v1",
            OutputConfig = new { S3Bucket = "artifacts", S3KeyPrefix = "colours/" },
        }))).GetProperty("ProjectVersionArn").GetString()!;
        await WaitForVersionAsync(client, project, "TRAINING_IN_PROGRESS", "TRAINING_COMPLETED", TimeSpan.FromMinutes(5));
        Ok(await client.SendAsync("RekognitionService.StartProjectVersion", JsonSerializer.Serialize(new { ProjectVersionArn = version, MinInferenceUnits = 1 })));
        await WaitForVersionAsync(client, project, "STARTING", "RUNNING", TimeSpan.FromMinutes(1));
        return (project, datasets[0], datasets[1], version);
    }

    private static async Task WaitForVersionAsync(WireClient client, string project, string whileStatus, string expected, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var described = Ok(await client.SendAsync("RekognitionService.DescribeProjectVersions", JsonSerializer.Serialize(new { ProjectArn = project })));
            var version = described.GetProperty("ProjectVersionDescriptions")[0];
            var status = version.GetProperty("Status").GetString();
            if (status != whileStatus)
            {
                Assert.That(status, Is.EqualTo(expected), version.ToString());
                return;
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"the model stayed {whileStatus} longer than {limit}");
            await Task.Delay(100);
        }
    }

    private static async Task WaitUntilSettledAsync(WireClient client, string datasetArn, string expected = "UPDATE_COMPLETE")
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var described = Ok(await client.SendAsync("RekognitionService.DescribeDataset", $$"""{"DatasetArn":"{{datasetArn}}"}"""));
            var status = described.GetProperty("DatasetDescription").GetProperty("Status").GetString()!;
            if (!status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
            {
                Assert.That(status, Is.EqualTo(expected), described.ToString());
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"{datasetArn} did not finish its update in 10 s.");
    }

    private static JsonElement Ok(WireClient.Answer answer)
    {
        Assert.That(answer.Status, Is.EqualTo(200), answer.Body);
        return answer.Json;
    }
}
