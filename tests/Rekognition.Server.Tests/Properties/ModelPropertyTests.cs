using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using CsCheck;
using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Server.Tests.Properties;

/// <summary>
/// Property: for requests generated from the API model's input shapes (valid and invalid), over HTTP to
/// the in-process server, no answer is a 5xx and every error is one the operation may answer. Bounded
/// for CI (<c>RK_PROPERTY_ITERATIONS</c>, default 20000, on 2 threads: about 15 s after a model is trained for the seeded state); CsCheck prints a seed and the
/// shrunk failing request, which then becomes a case of <see cref="ServerErrorRegressionTests"/>.
/// </summary>
public class ModelPropertyTests
{
    private const int DefaultIterations = 20000;

    private LocalServerFixture _server = null!;
    private WireClient _client = null!;
    private SeededState _state = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await LocalServerFixture.StartAsync();
        _client = new WireClient(_server.Endpoint);
        _state = await SeededState.CreateAsync(_server, _client, model: true);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task RequestsGeneratedFromTheModel_AreNeverAnswered5xx_AndErrorsAreTheOperations()
    {
        var model = ApiModel.Instance;
        var operations = model.Operations.ToDictionary(o => o.Name);
        var outcomes = new ConcurrentDictionary<(string Operation, string Outcome), int>();
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("RK_PROPERTY_ITERATIONS"), CultureInfo.InvariantCulture, out var n) ? n : DefaultIterations;
        var clock = Stopwatch.StartNew();

        await new RequestGenerator(model, _state).Requests().SampleAsync(async request =>
        {
            var answer = await _client.SendAsync("RekognitionService." + request.Operation, request.Body);
            AnswerRules.AssertNotAServerError(operations[request.Operation], request, answer);
            var outcome = answer.Status == 200 ? "200" : answer.Json.GetProperty("__type").GetString()!;
            outcomes.AddOrUpdate((request.Operation, outcome), 1, (_, c) => c + 1);
            if (answer.Status == 200 && answer.Json.TryGetProperty("NextToken", out var token) && token.GetString() is { } next)
            {
                _state.Tokens.Enqueue(next);
            }
        }, iter: iterations, threads: 2, print: r => r.ToString());

        await TestContext.Out.WriteLineAsync($"{iterations} requests in {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var group in outcomes.GroupBy(o => o.Key.Operation).OrderBy(g => g.Key))
        {
            await TestContext.Out.WriteLineAsync($"{group.Key}: {string.Join(", ", group.OrderByDescending(o => o.Value).Select(o => $"{o.Key.Outcome} {o.Value}"))}");
        }

        // The generator must reach every operation, and get past validation where the seeded state allows it.
        Assert.That(outcomes.Keys.Select(k => k.Operation).Distinct(), Is.EquivalentTo(operations.Keys));
        string[] mustSucceed =
        [
            "CreateProject", "DescribeProjects", "DescribeDataset", "ListDatasetEntries", "ListDatasetLabels", "ListTagsForResource", "TagResource",
            "ListProjectPolicies", "DescribeProjectVersions", "DetectCustomLabels",
        ];
        Assert.That(mustSucceed.Where(op => !outcomes.ContainsKey((op, "200"))), Is.Empty, "operations that never got a 200");
    }
}
