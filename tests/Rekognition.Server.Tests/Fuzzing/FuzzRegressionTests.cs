using Rekognition.Server.Tests.TestSupport;
using Rekognition.Testing.Fuzzing;

namespace Rekognition.Server.Tests.Fuzzing;

/// <summary>Replays every body that ever failed a JSON protocol fuzz test (Fuzzing/Regressions), in process and over HTTP, one test case per file.</summary>
[Category("Fuzz")]
public class FuzzRegressionTests
{
    private LocalServerFixture _server = null!;
    private JsonProtocolFuzzCheck _check = null!;

    public static IEnumerable<TestCaseData> SavedInputs() =>
        JsonProtocolFuzzTests.Corpus.Load().Select(saved => new TestCaseData(saved.Name).SetArgDisplayNames(saved.Name));

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await LocalServerFixture.StartAsync();
        _check = await JsonProtocolFuzzCheck.OverHttpAsync(_server);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _check.Dispose();
        await _server.DisposeAsync();
    }

    [TestCaseSource(nameof(SavedInputs))]
    public void SavedBody_NowGivesADocumentedOutcome(string name)
    {
        var input = JsonProtocolFuzzTests.Corpus.Load().Single(saved => saved.Name == name).Input;
        Assert.Multiple(() =>
        {
            Assert.That(FuzzLoop.ReplayOne(input, _check.CheckInProcess, FuzzLoop.HangLimit()), Is.Null, "in process");
            Assert.That(FuzzLoop.ReplayOne(input, _check.CheckOverHttp, FuzzLoop.HangLimit(5000)), Is.Null, "over HTTP");
        });
    }
}
