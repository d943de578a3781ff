using Rekognition.Testing.Fuzzing;

namespace Rekognition.Core.Tests.Fuzzing;

/// <summary>
/// Fuzzes the manifest path (line reader, Ground Truth line parser, line rules) from the real manifests'
/// lines. Budget and seed: see <see cref="FuzzLoop"/> (20 s by default).
/// </summary>
[Category("Fuzz")]
public class ManifestFuzzTests
{
    internal const string Parser = "manifest-line";

    internal static readonly RegressionCorpus Corpus = new(Parser, ".jsonl");

    [Test]
    public void MutatedManifests_GiveOnlyDocumentedOutcomes_WithinTheHangLimit()
    {
        using var check = new ManifestFuzzCheck();
        var mutator = new SeededMutator(ManifestFuzzCheck.LoadSeeds(), ManifestFuzzCheck.Dictionary, jsonAware: true);
        var report = FuzzLoop.Run(Parser, FuzzLoop.Budget(20), FuzzLoop.HangLimit(), FuzzLoop.Seed(),
            rng => ManifestFuzzCheck.Generate(mutator, rng), check.Check, Corpus);
        Assert.That(report.Inputs, Is.GreaterThan(0), report.Describe());
        Assert.That(report.Failures, Is.Empty, report.Describe());
    }
}
