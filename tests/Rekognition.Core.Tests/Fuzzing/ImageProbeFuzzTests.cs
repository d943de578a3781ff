using Rekognition.Testing.Fuzzing;

namespace Rekognition.Core.Tests.Fuzzing;

/// <summary>Fuzzes the PNG/JPEG header probe from real photos. Budget and seed: see <see cref="FuzzLoop"/> (20 s by default).</summary>
[Category("Fuzz")]
public class ImageProbeFuzzTests
{
    internal const string Parser = "image-header";

    internal static readonly RegressionCorpus Corpus = new(Parser, ".bin");

    [Test]
    public void MutatedImages_GiveOnlyDocumentedOutcomes_WithinTheHangLimit()
    {
        var mutator = new SeededMutator(ImageProbeFuzzCheck.LoadSeeds(), ImageProbeFuzzCheck.Dictionary, jsonAware: false);
        var report = FuzzLoop.Run(Parser, FuzzLoop.Budget(20), FuzzLoop.HangLimit(), FuzzLoop.Seed(),
            rng => new FuzzInput("", mutator.Next(rng)), ImageProbeFuzzCheck.Check, Corpus);
        Assert.That(report.Inputs, Is.GreaterThan(0), report.Describe());
        Assert.That(report.Failures, Is.Empty, report.Describe());
    }
}
