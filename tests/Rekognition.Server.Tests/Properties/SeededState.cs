using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Server.Tests.Properties;

/// <summary>
/// Resources made on a fresh server before requests are generated, so that generated ARNs can name
/// things that exist: kept projects (<c>seed-0</c>, ...) with TRAIN and TEST datasets (the first TRAIN
/// one with entries) and a project policy, and disposable ones (<c>spare-0</c>, ...) for Delete* requests.
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

    /// <summary>Makes the kept and disposable projects on the server.</summary>
    public static async Task<SeededState> CreateAsync(LocalServerFixture server, WireClient client, int kept = 3, int disposable = 3)
    {
        var keptResources = await ProjectsAsync(client, "seed", kept);
        var disposableResources = await ProjectsAsync(client, "spare", disposable);

        var lines = new StringBuilder();
        for (var i = 0; i < 6; i++)
        {
            var sourceRef = server.PutObject("seed", $"images/{i}.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
            lines.Append(GroundTruthLine(sourceRef, i % 2 == 0 ? "cat" : "dog")).Append('\n');
        }

        var train = keptResources.TrainDatasets[0];
        var changes = JsonSerializer.Serialize(new { DatasetArn = train, Changes = new { GroundTruth = Convert.ToBase64String(Encoding.UTF8.GetBytes(lines.ToString())) } });
        Ok(await client.SendAsync("RekognitionService.UpdateDatasetEntries", changes));
        await WaitUntilSettledAsync(client, train);
        Ok(await client.SendAsync("RekognitionService.PutProjectPolicy",
            JsonSerializer.Serialize(new { ProjectArn = keptResources.Projects[0], PolicyName = "seed-policy", PolicyDocument })));
        return new SeededState(keptResources, disposableResources);
    }

    /// <summary>A classification line of a ground truth manifest.</summary>
    public static string GroundTruthLine(string sourceRef, string label) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["source-ref"] = sourceRef,
            ["animal"] = 1,
            ["animal-metadata"] = new Dictionary<string, object>
            {
                ["class-name"] = label,
                ["confidence"] = 1,
                ["type"] = "groundtruth/image-classification",
                ["job-name"] = "labeling-job/animal",
                ["human-annotated"] = "yes",
                ["creation-date"] = "2024-01-01T00:00:00.000",
            },
        });

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

    private static async Task WaitUntilSettledAsync(WireClient client, string datasetArn)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var described = Ok(await client.SendAsync("RekognitionService.DescribeDataset", $$"""{"DatasetArn":"{{datasetArn}}"}"""));
            var status = described.GetProperty("DatasetDescription").GetProperty("Status").GetString()!;
            if (!status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
            {
                Assert.That(status, Is.EqualTo("UPDATE_COMPLETE"), described.ToString());
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
