using Rekognition.Server.Tests.TestSupport;
using Rekognition.Testing.Fuzzing;

namespace Rekognition.Server.Tests.Fuzzing;

/// <summary>
/// Fuzzes the JSON protocol reader from the wire capture's real requests: in process (fast, every operation's
/// reader) and over HTTP against the LocalServer host. Budgets: see <see cref="FuzzLoop"/> (15 s and 25 s by default;
/// a request over HTTP may take up to 5 s before it counts as a hang).
/// </summary>
[Category("Fuzz")]
public class JsonProtocolFuzzTests
{
    internal const string Parser = "json-protocol";

    internal static readonly RegressionCorpus Corpus = new(Parser, ".json");

    [Test]
    public void MutatedBodies_ReadInProcess_GiveARequestOrASerializationException()
    {
        using var check = new JsonProtocolFuzzCheck();
        var inputs = new JsonProtocolInputs();
        var report = FuzzLoop.Run(Parser + " (in process)", FuzzLoop.Budget(15), FuzzLoop.HangLimit(), FuzzLoop.Seed(),
            inputs.Next, check.CheckInProcess, Corpus);
        TestContext.Progress.WriteLine("  outcomes: " + check.Outcomes());
        Assert.That(report.Inputs, Is.GreaterThan(0), report.Describe());
        Assert.That(report.Failures, Is.Empty, report.Describe());
    }

    [Test]
    public async Task MutatedBodies_OverHttp_Get200OrA4xxWithTheServiceErrorCode_Never500()
    {
        await using var server = await LocalServerFixture.StartAsync();
        using var check = await JsonProtocolFuzzCheck.OverHttpAsync(server);
        var inputs = new JsonProtocolInputs();
        var report = FuzzLoop.Run(Parser + " (HTTP)", FuzzLoop.Budget(25), FuzzLoop.HangLimit(5000), FuzzLoop.Seed(),
            inputs.Next, check.CheckOverHttp, Corpus);
        TestContext.Progress.WriteLine("  outcomes: " + check.Outcomes());
        Assert.That(report.Inputs, Is.GreaterThan(0), report.Describe());
        Assert.That(report.Failures, Is.Empty, report.Describe());
    }
}
