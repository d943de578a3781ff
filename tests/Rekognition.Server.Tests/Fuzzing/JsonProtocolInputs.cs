using System.Text.Json;
using Rekognition.Testing.Fuzzing;

namespace Rekognition.Server.Tests.Fuzzing;

/// <summary>
/// Makes JSON protocol fuzz inputs: a mutated seed body of a random operation (the input's group), and for
/// <c>UpdateDatasetEntries</c> also well-formed requests whose base64 manifest changes hold mutated Ground Truth
/// lines, so that the server's manifest validation is fuzzed through the protocol too.
/// </summary>
internal sealed class JsonProtocolInputs
{
    private readonly Dictionary<string, SeededMutator> _bodies;
    private readonly SeededMutator _manifestLines;

    public JsonProtocolInputs()
    {
        var dictionary = JsonProtocolSeeds.Dictionary().ToArray();
        _bodies = JsonProtocolSeeds.Load().ToDictionary(s => s.Key, s => new SeededMutator(s.Value, dictionary, jsonAware: true));
        _manifestLines = new SeededMutator(JsonProtocolSeeds.ManifestLines(), GroundTruthWords.All, jsonAware: true);
    }

    public FuzzInput Next(Random rng)
    {
        var operation = JsonProtocolSeeds.Operations[rng.Next(JsonProtocolSeeds.Operations.Count)];
        if (operation == "UpdateDatasetEntries" && rng.Next(2) == 0)
        {
            var lines = Enumerable.Range(0, 1 + rng.Next(3)).SelectMany(_ => (byte[])[.. _manifestLines.Next(rng), (byte)'\n']).ToArray();
            return new FuzzInput(operation, JsonSerializer.SerializeToUtf8Bytes(new { DatasetArn = JsonProtocolSeeds.DatasetArnPlaceholder, Changes = new { GroundTruth = lines } }));
        }

        var mutator = _bodies[operation];
        return new FuzzInput(operation, rng.Next(8) == 0 ? mutator.Seeds[rng.Next(mutator.Seeds.Count)] : mutator.Next(rng));
    }
}
