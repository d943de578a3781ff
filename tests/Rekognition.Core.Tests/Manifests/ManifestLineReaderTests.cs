using System.Text;
using Rekognition.Core.Manifests;

namespace Rekognition.Core.Tests.Manifests;

public class ManifestLineReaderTests
{
    private static List<(int Number, string Text, bool TooLong, bool Bom, bool Cr)> ReadAll(byte[] bytes, int maxLineBytes = 1000)
    {
        var result = new List<(int, string, bool, bool, bool)>();
        using var reader = new ManifestLineReader(new MemoryStream(bytes), maxLineBytes);
        while (reader.ReadNext())
        {
            result.Add((reader.LineNumber, Encoding.UTF8.GetString(reader.Current), reader.IsTooLong, reader.HadByteOrderMark, reader.HadCarriageReturn));
        }

        return result;
    }

    [Test]
    public void ZeroByteFileHasNoLines() => Assert.That(ReadAll([]), Is.Empty);

    [Test]
    public void TrailingNewlineAddsNoLineButInnerBlankLinesCount()
    {
        var lines = ReadAll(Encoding.UTF8.GetBytes("a\n\nb\n"));
        Assert.That(lines.Select(l => l.Text), Is.EqualTo(new[] { "a", "", "b" }));
        Assert.That(lines.Select(l => l.Number), Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [Test]
    public void LastLineWithoutNewlineIsRead() =>
        Assert.That(ReadAll(Encoding.UTF8.GetBytes("a\nb")).Select(l => l.Text), Is.EqualTo(new[] { "a", "b" }));

    [Test]
    public void ByteOrderMarkAndCarriageReturnsAreLeftOut()
    {
        var lines = ReadAll([0xEF, 0xBB, 0xBF, .. "{}\r\n{\"x\":1}\r\n"u8]);
        Assert.That(lines.Select(l => l.Text), Is.EqualTo(new[] { "{}", "{\"x\":1}" }));
        Assert.That(lines[0].Bom, Is.True);
        Assert.That(lines[1].Bom, Is.False);
        Assert.That(lines.All(l => l.Cr), Is.True);
    }

    [Test]
    public void LongLineIsReportedAndSkippedWithoutLosingTheNextOne()
    {
        var text = "short\n" + new string('x', 5000) + "\nafter\n" + new string('y', 40) + "\n";
        var lines = ReadAll(Encoding.UTF8.GetBytes(text), maxLineBytes: 40);
        Assert.That(lines.Select(l => (l.Number, l.Text, l.TooLong)), Is.EqualTo(new[] { (1, "short", false), (2, "", true), (3, "after", false), (4, new string('y', 40), false) }));
    }

    [Test]
    public void LinesSpanningManyBufferRefillsAreWhole()
    {
        var line = new string('z', 200_000);
        var lines = ReadAll(Encoding.UTF8.GetBytes(line + "\n" + line), maxLineBytes: 300_000);
        Assert.That(lines.Select(l => l.Text.Length), Is.EqualTo(new[] { 200_000, 200_000 }));
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(1000)]
    public void ATooLongLineEndingInCrLf_HasItsLengthWithoutTheCr(int readSize)
    {
        // Found by fuzzing: a line skipped as too long counted its CR and did not report it, wherever the CR fell.
        var bytes = Encoding.ASCII.GetBytes(new string('x', 50) + "\r\nab\r\n");
        using var reader = new ManifestLineReader(new ChunkedStream(bytes, readSize), maxLineBytes: 8);
        Assert.That(reader.ReadNext(), Is.True);
        Assert.That((reader.IsTooLong, reader.LineByteLength, reader.HadCarriageReturn), Is.EqualTo((true, 50L, true)));
        Assert.That(reader.ReadNext(), Is.True);
        Assert.That((Encoding.ASCII.GetString(reader.Current), reader.HadCarriageReturn), Is.EqualTo(("ab", true)));
        Assert.That(reader.ReadNext(), Is.False);
    }

    /// <summary>Returns at most <paramref name="readSize"/> bytes per read.</summary>
    private sealed class ChunkedStream(byte[] data, int readSize) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, readSize));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, readSize)]);
    }
}
