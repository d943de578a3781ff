using System.Text;
using System.Text.Json.Nodes;
using Rekognition.Core.Manifests;
using Rekognition.Core.Tests.TestSupport;
using Rekognition.Core.Tests.Validation;
using Rekognition.Core.Validation;
using Rekognition.Testing.Fuzzing;

namespace Rekognition.Core.Tests.Fuzzing;

/// <summary>
/// The fuzz target of the manifest path: <see cref="ManifestLineReader"/> against a plain reference splitter
/// (fed through a stream that returns few bytes per read), then <see cref="ManifestLineValidator"/> (which runs
/// <see cref="GroundTruthLineParser"/> and the line rules), whose every result must be a documented one: one
/// result per line, known codes, and a stored line that is a JSON object a DOM can read back.
/// </summary>
internal sealed class ManifestFuzzCheck : IDisposable
{
    private static readonly int[] LineLimits = [1, 2, 3, 8, 64, 200, 4096, 100_000];

    private static readonly HashSet<string> KnownCodes = ValidationCodes.All.Select(c => c.Code).ToHashSet(StringComparer.Ordinal);

    private readonly ValidatorFixture _fixture = new();

    /// <summary>Words the Ground Truth format gives meaning to.</summary>
    public static IEnumerable<byte[]> Dictionary => GroundTruthWords.All;

    /// <summary>Every line of the real Ground Truth manifests under shared/data/groundtruth.</summary>
    public static IReadOnlyList<byte[]> LoadSeeds()
    {
        var folder = SharedData.PathOf("groundtruth");
        var seeds = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".manifest", StringComparison.Ordinal) || f.EndsWith(".manifest.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .SelectMany(File.ReadLines)
            .Where(l => l.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Select(Encoding.UTF8.GetBytes)
            .ToArray();
        Assert.That(seeds, Has.Length.GreaterThan(100), $"too few Ground Truth lines under {folder}");
        return seeds;
    }

    /// <summary>A manifest of one to three mutated lines, with mixed line endings and sometimes a BOM.</summary>
    public static FuzzInput Generate(SeededMutator mutator, Random rng)
    {
        var manifest = new List<byte>();
        if (rng.Next(8) == 0)
        {
            manifest.AddRange("\uFEFF"u8.ToArray());
        }

        var lines = 1 + rng.Next(3);
        for (var i = 0; i < lines; i++)
        {
            manifest.AddRange(rng.Next(4) == 0 ? mutator.Seeds[rng.Next(mutator.Seeds.Count)] : mutator.Next(rng));
            if (i < lines - 1 || rng.Next(2) == 0)
            {
                manifest.AddRange(rng.Next(4) == 0 ? "\r\n"u8.ToArray() : "\n"u8.ToArray());
            }
        }

        return new FuzzInput("", manifest.ToArray());
    }

    public void Check(FuzzInput input)
    {
        var bytes = input.Bytes;

        // The reader's limit and read size come from the input, so a saved input replays the same way.
        var hash = (uint)HashCode.Combine(bytes.Length, bytes.Length > 0 ? bytes[^1] : 0, bytes.Length > 1 ? bytes[bytes.Length / 2] : 0);
        var maxLineBytes = LineLimits[hash % LineLimits.Length];
        var readSize = 1 + (int)(hash / 7 % 97);
        CheckReader(bytes, maxLineBytes, readSize);

        var expectedLines = ReferenceLines(bytes, int.MaxValue).Count;
        var results = _fixture.Lines.Validate(new TrickleStream(bytes, readSize), _fixture.Root).ToList();
        FuzzAssertionException.That(results.Count == expectedLines, $"the validator gave {results.Count} results for {expectedLines} lines");
        for (var i = 0; i < results.Count; i++)
        {
            FuzzAssertionException.That(results[i].LineNumber == i + 1, $"result {i} has line number {results[i].LineNumber}");
            CheckResult(results[i]);
        }

        // The single-line entry point (UpdateDatasetEntries changes) takes the bytes as one line, newlines and all.
        CheckResult(_fixture.Lines.ValidateLine(bytes, 1, _fixture.Root));
    }

    private static void CheckResult(ValidatedLine line)
    {
        FuzzAssertionException.That(line.FileError is null, $"line {line.LineNumber}: unexpected file error {line.FileError?.Code}");
        FuzzAssertionException.That(Enum.IsDefined(line.Outcome), $"line {line.LineNumber}: outcome {line.Outcome}");
        foreach (var issue in line.Issues)
        {
            FuzzAssertionException.That(KnownCodes.Contains(issue.Code), $"line {line.LineNumber}: unknown code {issue.Code}");
            FuzzAssertionException.That(!string.IsNullOrEmpty(issue.Message), $"line {line.LineNumber}: {issue.Code} without a message");
        }

        FuzzAssertionException.That(line.Outcome == LineOutcome.Valid ? line.Labels.Count > 0 : line.Labels.Count == 0,
            $"line {line.LineNumber}: {line.Outcome} with {line.Labels.Count} labels");

        // The line is stored and listed as it is, and later read back with a DOM (listing, labelling, distribution).
        JsonNode? stored;
        try
        {
            stored = JsonNode.Parse(line.Json.Span);
            Walk(stored);
        }
        catch (Exception ex)
        {
            throw new FuzzAssertionException($"line {line.LineNumber} ({line.Outcome}): the stored JSON cannot be read back: {ex.GetType().Name}: {ex.Message}");
        }

        FuzzAssertionException.That(stored is JsonObject, $"line {line.LineNumber}: the stored line is not a JSON object");
    }

    /// <summary>Visits every member: a DOM builds its objects lazily and refuses a repeated key or a bad string only then.</summary>
    private static void Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    Walk(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Walk(item);
                }

                break;
            case JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String:
                _ = value.GetValue<string>();
                break;
        }
    }

    private static void CheckReader(byte[] bytes, int maxLineBytes, int readSize)
    {
        var expected = ReferenceLines(bytes, maxLineBytes);
        using var reader = new ManifestLineReader(new TrickleStream(bytes, readSize), maxLineBytes);
        var i = 0;
        while (reader.ReadNext())
        {
            FuzzAssertionException.That(i < expected.Count, $"the reader (limit {maxLineBytes}, reads of {readSize}) gave more than {expected.Count} lines");
            var want = expected[i];
            var got = new ReferenceLine(reader.IsTooLong ? [] : reader.Current.ToArray(), reader.IsTooLong, reader.LineByteLength, reader.HadByteOrderMark, reader.HadCarriageReturn);
            FuzzAssertionException.That(reader.LineNumber == i + 1, $"line {i + 1} is numbered {reader.LineNumber}");
            FuzzAssertionException.That(got.Matches(want), $"line {i + 1} (limit {maxLineBytes}, reads of {readSize}): got {got}, expected {want}");
            i++;
        }

        FuzzAssertionException.That(i == expected.Count, $"the reader (limit {maxLineBytes}, reads of {readSize}) gave {i} lines, expected {expected.Count}");
    }

    /// <summary>The reader's documented contract, written the plain way: split on LF, drop one CR before it and a leading BOM.</summary>
    private static List<ReferenceLine> ReferenceLines(byte[] bytes, int maxLineBytes)
    {
        var lines = new List<ReferenceLine>();
        var bom = bytes.AsSpan().StartsWith("\uFEFF"u8);
        var position = bom ? 3 : 0;
        while (position < bytes.Length)
        {
            var newline = bytes.AsSpan(position).IndexOf((byte)'\n');
            var end = newline < 0 ? bytes.Length : position + newline;
            var content = bytes.AsSpan(position, end - position);
            var carriageReturn = content.Length > 0 && content[^1] == (byte)'\r';
            if (carriageReturn)
            {
                content = content[..^1];
            }

            var tooLong = content.Length > maxLineBytes;
            lines.Add(new ReferenceLine(tooLong ? [] : content.ToArray(), tooLong, content.Length, bom && lines.Count == 0, carriageReturn));
            position = end + 1;
        }

        return lines;
    }

    public void Dispose() => _fixture.Dispose();

    private sealed record ReferenceLine(byte[] Content, bool TooLong, long Length, bool ByteOrderMark, bool CarriageReturn)
    {
        public bool Matches(ReferenceLine other) =>
            Content.AsSpan().SequenceEqual(other.Content) && (TooLong, Length, ByteOrderMark, CarriageReturn) == (other.TooLong, other.Length, other.ByteOrderMark, other.CarriageReturn);

        public override string ToString() => $"{{{Content.Length} bytes, tooLong={TooLong}, length={Length}, bom={ByteOrderMark}, cr={CarriageReturn}}}";
    }

    /// <summary>A read-only stream that returns at most a few bytes per read, as a network stream may.</summary>
    private sealed class TrickleStream(byte[] data, int maxRead) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, maxRead));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, maxRead)]);
    }
}
