using Rekognition.Testing.Fuzzing;

namespace Rekognition.Core.Tests.Fuzzing;

/// <summary>Replays every input that ever failed a fuzz test of this project (Fuzzing/Regressions), one test case per file.</summary>
[Category("Fuzz")]
public class FuzzRegressionTests
{
    private ManifestFuzzCheck _manifests = null!;

    public static IEnumerable<TestCaseData> SavedInputs() =>
        new[] { ManifestFuzzTests.Corpus, ImageProbeFuzzTests.Corpus }
            .SelectMany(corpus => corpus.Load().Select(saved => new TestCaseData(corpus.Parser, saved.Name).SetArgDisplayNames(corpus.Parser, saved.Name)));

    [OneTimeSetUp]
    public void SetUp() => _manifests = new ManifestFuzzCheck();

    [OneTimeTearDown]
    public void TearDown() => _manifests.Dispose();

    [TestCaseSource(nameof(SavedInputs))]
    public void SavedInput_NowGivesADocumentedOutcome(string parser, string name)
    {
        var (corpus, check) = parser switch
        {
            ManifestFuzzTests.Parser => (ManifestFuzzTests.Corpus, (Action<FuzzInput>)_manifests.Check),
            _ => (ImageProbeFuzzTests.Corpus, ImageProbeFuzzCheck.Check),
        };
        var input = corpus.Load().Single(saved => saved.Name == name).Input;
        Assert.That(FuzzLoop.ReplayOne(input, check, FuzzLoop.HangLimit()), Is.Null);
    }
}
