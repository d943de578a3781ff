using System.Text;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Tests.Storage;

public class AtomicFileTests
{
    private string _folder = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), "rk-atomic", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task TwoWritersOfOneFile_BothSucceed_AndOneWholeResultRemains()
    {
        var path = Path.Combine(_folder, "model.json");
        var a = new string('a', 1 << 20);
        var b = new string('b', 1 << 20);
        using var bothOpen = new Barrier(2);

        // Both writers hold their temporary file open at once (the fixed "path.tmp" of old collided here).
        Task Writer(string content) => Task.Run(() => AtomicFile.Write(path, stream =>
        {
            var bytes = Encoding.UTF8.GetBytes(content);
            stream.Write(bytes, 0, bytes.Length / 2);
            bothOpen.SignalAndWait(TimeSpan.FromSeconds(30));
            stream.Write(bytes, bytes.Length / 2, bytes.Length - bytes.Length / 2);
        }));

        await Task.WhenAll(Writer(a), Writer(b));

        var result = await File.ReadAllTextAsync(path);
        Assert.That(result == a || result == b, Is.True, "one writer's whole content, not a mix");
        Assert.That(Directory.GetFiles(_folder), Is.EqualTo(new[] { path }), "no temporary file is left");
    }

    [Test]
    public void AFailingWriter_LeavesNoTemporaryFile_AndTheOldContent()
    {
        var path = Path.Combine(_folder, "summary.json");
        File.WriteAllText(path, "old");

        var thrown = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half of the new"u8);
            throw new InvalidOperationException("the writer failed");
        }));

        Assert.That(thrown!.Message, Is.EqualTo("the writer failed"));
        Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
        Assert.That(Directory.GetFiles(_folder), Is.EqualTo(new[] { path }), "the temporary file is deleted");
    }

    [Test]
    public void AFailingAsyncWriter_LeavesNoTemporaryFile_AndNoNewFile()
    {
        var path = Path.Combine(_folder, "deep", "report.html");

        Assert.ThrowsAsync<IOException>(() => AtomicFile.WriteAsync(path, async stream =>
        {
            await stream.WriteAsync("<html>"u8.ToArray());
            throw new IOException("disk full");
        }));

        Assert.That(File.Exists(path), Is.False);
        Assert.That(Directory.GetFiles(Path.Combine(_folder, "deep")), Is.Empty);
    }

    [Test]
    public void Begin_TemporaryName_IsUniqueAndInTheSameFolder()
    {
        var path = Path.Combine(_folder, "a.onnx");
        using var first = AtomicFile.Begin(path);
        using var second = AtomicFile.Begin(path);
        Assert.That(first.TemporaryPath, Is.Not.EqualTo(second.TemporaryPath));
        Assert.That(Path.GetDirectoryName(first.TemporaryPath), Is.EqualTo(_folder));
        Assert.That(Path.GetFileName(first.TemporaryPath), Does.StartWith(".a.onnx.").And.EndWith(".tmp"));
    }

    [Test]
    public void CommitWithoutOverwrite_KeepsTheFirstFile()
    {
        var path = Path.Combine(_folder, "pagination.key");
        using (var first = AtomicFile.Begin(path))
        {
            first.Stream.Write("first"u8);
            Assert.That(first.Commit(overwrite: false), Is.True);
        }

        using (var second = AtomicFile.Begin(path))
        {
            second.Stream.Write("second"u8);
            Assert.That(second.Commit(overwrite: false), Is.False);
        }

        Assert.That(File.ReadAllText(path), Is.EqualTo("first"));
        Assert.That(Directory.GetFiles(_folder), Is.EqualTo(new[] { path }));
    }
}
