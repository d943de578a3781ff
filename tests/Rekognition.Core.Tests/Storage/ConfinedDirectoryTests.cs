using System.Text;
using Rekognition.Core.Storage.Confinement;

namespace Rekognition.Core.Tests.Storage;

/// <summary>
/// Every way a symbolic link can lead a read or a write out of the root, in each confinement mode this machine
/// can run (openat2, open-then-check through /proc, and the path walk of other systems).
/// </summary>
[TestFixture("Openat2")]
[TestFixture("OpenThenCheck")]
[TestFixture("PathCheck")]
public class ConfinedDirectoryTests(string modeName)
{
    private readonly ConfinementMode mode = Enum.Parse<ConfinementMode>(modeName);
    private const string Secret = "SECRET-OUTSIDE";
    private string _temp = null!;
    private string _root = null!;
    private string _outside = null!;
    private ConfinedDirectory _confined = null!;

    [SetUp]
    public void SetUp()
    {
        if (mode != ConfinementMode.PathCheck && !OperatingSystem.IsLinux())
        {
            Assert.Fail($"{mode} needs Linux; run these tests on Linux (the CI machines are).");
        }

        if (mode == ConfinementMode.Openat2)
        {
            Assert.That(ConfinedDirectory.DefaultMode, Is.EqualTo(ConfinementMode.Openat2), "this kernel has no openat2 (Linux 5.6 or later is needed)");
        }

        _temp = Path.Combine(Path.GetTempPath(), "rk-confined", Guid.NewGuid().ToString("N"));
        _root = Path.Combine(_temp, "root");
        _outside = Path.Combine(_temp, "outside");
        Directory.CreateDirectory(Path.Combine(_root, "inside"));
        Directory.CreateDirectory(Path.Combine(_outside, "deep"));
        File.WriteAllText(Path.Combine(_outside, "secret.manifest"), Secret);
        File.WriteAllText(Path.Combine(_outside, "deep", "secret.manifest"), Secret);
        File.WriteAllText(Path.Combine(_root, "inside", "ok.txt"), "inside");
        _confined = new ConfinedDirectory(_root, mode);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    [Test]
    public void AFileBeneathTheRoot_IsRead()
    {
        Assert.That(Read("inside/ok.txt"), Is.EqualTo("inside"));
        Assert.That(_confined.OpenRead("inside/missing.txt", out var failure), Is.Null);
        Assert.That(failure, Is.EqualTo(ConfinedOpenFailure.NotFound));
        Assert.That(_confined.OpenRead("inside", out failure), Is.Null, "a folder is not a file");
        Assert.That(failure, Is.EqualTo(ConfinedOpenFailure.NotAFile));
    }

    [TestCase("../outside/secret.manifest")]
    [TestCase("inside/../../outside/secret.manifest")]
    [TestCase("/etc/passwd")]
    [TestCase("inside\\..\\..\\outside\\secret.manifest")]
    [TestCase("inside//ok.txt")]
    [TestCase("./inside/ok.txt")]
    [TestCase("")]
    public void PathsThatAreNotPlainNamesBeneathTheRoot_AreRefused(string relative)
    {
        Assert.That(_confined.OpenRead(relative, out var failure), Is.Null);
        Assert.That(failure, Is.EqualTo(ConfinedOpenFailure.InvalidPath));
        Assert.Throws<ArgumentException>(() => _confined.WriteFile(relative, s => s.WriteByte(1)));
    }

    [Test]
    public void ALinkAsTheLastName_ToAFileOutside_IsRefused()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "trick.manifest"), Path.Combine(_outside, "secret.manifest"));
        AssertOutside("trick.manifest");
    }

    [Test]
    public void ALinkedFolderOnTheWay_IsRefused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "d"), _outside);
        AssertOutside("d/secret.manifest");
        AssertOutside("d/deep/secret.manifest");
    }

    [Test]
    public void ALinkThroughALinkedFolderThenDotDot_IsRefused()
    {
        // The kernel follows d (into outside/deep) before "..": the target is outside/secret.manifest, not root/secret.manifest.
        Directory.CreateSymbolicLink(Path.Combine(_root, "d"), Path.Combine(_outside, "deep"));
        File.CreateSymbolicLink(Path.Combine(_root, "trick.manifest"), "d/../secret.manifest");
        File.WriteAllText(Path.Combine(_root, "secret.manifest"), "decoy inside");
        AssertOutside("trick.manifest");
    }

    [Test]
    public void AnAbsoluteLinkThatLandsInside_AndARelativeLinkInside_AreFollowed()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "abs.txt"), Path.Combine(_root, "inside", "ok.txt"));
        File.CreateSymbolicLink(Path.Combine(_root, "inside", "rel.txt"), "ok.txt");
        Directory.CreateSymbolicLink(Path.Combine(_root, "alias"), "inside");
        Assert.That(Read("inside/rel.txt"), Is.EqualTo("inside"));
        Assert.That(Read("alias/ok.txt"), Is.EqualTo("inside"));
        if (mode == ConfinementMode.Openat2)
        {
            // RESOLVE_BENEATH refuses absolute link targets even when they land inside: a safe refusal.
            AssertOutside("abs.txt");
        }
        else
        {
            Assert.That(Read("abs.txt"), Is.EqualTo("inside"));
        }
    }

    [Test]
    public void AFolderSwappedForALinkOut_AfterASuccessfulRead_IsRefused()
    {
        Directory.CreateDirectory(Path.Combine(_root, "swap"));
        File.WriteAllText(Path.Combine(_root, "swap", "secret.manifest"), "inside");
        Assert.That(Read("swap/secret.manifest"), Is.EqualTo("inside"));
        Directory.Delete(Path.Combine(_root, "swap"), recursive: true);
        Directory.CreateSymbolicLink(Path.Combine(_root, "swap"), _outside);
        AssertOutside("swap/secret.manifest");
    }

    [Test]
    public void Writes_CreateFoldersAndReplaceFilesBeneathTheRoot()
    {
        _confined.WriteFile("a/b/c/out.json", s => s.Write("one"u8));
        _confined.WriteFile("a/b/c/out.json", s => s.Write("two"u8));
        Assert.That(File.ReadAllText(Path.Combine(_root, "a", "b", "c", "out.json")), Is.EqualTo("two"));
        Assert.That(Directory.GetFiles(Path.Combine(_root, "a", "b", "c")), Has.Length.EqualTo(1), "no temporary file is left");
    }

    [Test]
    public async Task CreatorsAtOnce_ExactlyOneCreatesTheFile_AndEveryoneReadsItsBytes()
    {
        // Put-if-absent: each creator writes its own bytes; one wins, the others are told so, none replaces it.
        using var start = new ManualResetEventSlim();
        var creators = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var created = await _confined.CreateFileAsync("inside/keys/once.key", s => s.WriteAsync(Encoding.UTF8.GetBytes($"creator {i}")).AsTask(), ownerOnly: true);
            return (Creator: i, Created: created);
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(creators);

        Assert.That(results.Count(r => r.Created), Is.EqualTo(1), "exactly one creator wins");
        var path = Path.Combine(_root, "inside", "keys", "once.key");
        Assert.That(File.ReadAllText(path), Is.EqualTo($"creator {results.Single(r => r.Created).Creator}"));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Is.EqualTo(new[] { path }), "no temporary file is left");
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [Test]
    public async Task CreatingAFileThatIsThere_OrALinkOutOfThatName_ChangesNothing()
    {
        Assert.That(await _confined.CreateFileAsync("inside/ok.txt", s => s.WriteAsync("new"u8.ToArray()).AsTask(), ownerOnly: false), Is.False);
        Assert.That(Read("inside/ok.txt"), Is.EqualTo("inside"));

        File.CreateSymbolicLink(Path.Combine(_root, "inside", "link.key"), Path.Combine(_outside, "secret.manifest"));
        Assert.That(await _confined.CreateFileAsync("inside/link.key", s => s.WriteAsync("new"u8.ToArray()).AsTask(), ownerOnly: false), Is.False);
        Assert.That(File.ReadAllText(Path.Combine(_outside, "secret.manifest")), Is.EqualTo(Secret));
        Assert.ThrowsAsync<ArgumentException>(() => _confined.CreateFileAsync("inside/../../outside/new.key", s => Task.CompletedTask, ownerOnly: false));
        Directory.CreateSymbolicLink(Path.Combine(_root, "inside", "out"), _outside);
        Assert.ThrowsAsync<PathEscapeException>(() => _confined.CreateFileAsync("inside/out/new.key", s => Task.CompletedTask, ownerOnly: false));
        Assert.That(File.Exists(Path.Combine(_outside, "new.key")), Is.False);
    }

    [Test]
    public void AWriteThroughALinkedFolder_IsRefused_AndNothingOutsideChanges()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "d"), _outside);
        Directory.CreateSymbolicLink(Path.Combine(_root, "e"), Path.Combine(_outside, "deep"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "inside", "up"), "../../outside");
        var before = Snapshot(_outside);
        Assert.Throws<PathEscapeException>(() => _confined.WriteFile("d/secret.manifest", s => s.Write("overwritten"u8)));
        Assert.Throws<PathEscapeException>(() => _confined.WriteFile("d/new/x.json", s => s.Write("x"u8)));
        Directory.CreateSymbolicLink(Path.Combine(_root, "f"), "e/..");
        Assert.Throws<PathEscapeException>(() => _confined.WriteFile("f/x.json", s => s.Write("x"u8)), "e is followed before '..'");
        Assert.Throws<PathEscapeException>(() => _confined.WriteFile("inside/up/deep/z.json", s => s.Write("x"u8)));
        Assert.Throws<PathEscapeException>(() => _confined.CreateDirectory("d/made"));
        Assert.That(Snapshot(_outside), Is.EqualTo(before));
    }

    [Test]
    public void AWriteOverALinkNamedLikeTheFile_ReplacesTheLink_NotItsTarget()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "manifest_summary.json"), Path.Combine(_outside, "secret.manifest"));
        _confined.WriteFile("manifest_summary.json", s => s.Write("summary"u8));
        Assert.That(File.ReadAllText(Path.Combine(_outside, "secret.manifest")), Is.EqualTo(Secret));
        Assert.That(new FileInfo(Path.Combine(_root, "manifest_summary.json")).LinkTarget, Is.Null);
        Assert.That(Read("manifest_summary.json"), Is.EqualTo("summary"));
    }

    [Test]
    public void AFolderFlippingBetweenRealAndALinkOut_NeverYieldsOutsideContent()
    {
        if (mode == ConfinementMode.PathCheck)
        {
            Assert.Pass("The path walk of other systems does not exclude this race (documented); Linux modes must.");
        }

        var flip = Path.Combine(_root, "flip");
        var real = Path.Combine(_root, "flip-real");
        Directory.CreateDirectory(real);
        File.WriteAllText(Path.Combine(real, "secret.manifest"), "inside");
        var stop = DateTime.UtcNow.AddSeconds(2);
        int reads = 0, insideReads = 0, outsideReads = 0;

        // The first link exists before the flipper starts renaming over it (else creating it could find the flipper's).
        Directory.CreateSymbolicLink(flip, "flip-real");
        var flipper = Task.Run(() =>
        {
            var toOutside = true;
            while (DateTime.UtcNow < stop)
            {
                var next = flip + ".next";
                Directory.CreateSymbolicLink(next, toOutside ? "../outside" : "flip-real");
                // rename(2) over the old link: an atomic swap (File.Move refuses a link to a folder).
                Assert.That(LinuxFileCalls.RenameAt(LinuxFileCalls.AT_FDCWD, next, LinuxFileCalls.AT_FDCWD, flip), Is.Zero);
                toOutside = !toOutside;
            }
        });
        while (DateTime.UtcNow < stop)
        {
            using var stream = _confined.OpenRead("flip/secret.manifest", out var failure);
            reads++;
            if (stream is not null)
            {
                var text = new StreamReader(stream, Encoding.UTF8).ReadToEnd();
                Assert.That(text, Is.Not.EqualTo(Secret), "read outside content through the flipping link");
                insideReads++;
            }
            else if (failure == ConfinedOpenFailure.OutsideRoot)
            {
                outsideReads++;
            }
        }

        flipper.GetAwaiter().GetResult();
        TestContext.Out.WriteLine($"{reads} reads: {insideReads} inside, {outsideReads} refused as outside");
        Assert.That(outsideReads, Is.GreaterThan(0), "the race was not exercised");
        Assert.That(insideReads, Is.GreaterThan(0), "the real folder was never read");
    }

    private string Read(string relative)
    {
        using var stream = _confined.OpenRead(relative, out var failure);
        Assert.That(stream, Is.Not.Null, $"{relative}: {failure}");
        return new StreamReader(stream!, Encoding.UTF8).ReadToEnd();
    }

    private void AssertOutside(string relative)
    {
        using var stream = _confined.OpenRead(relative, out var failure);
        Assert.That(stream, Is.Null, $"{relative} was opened");
        Assert.That(failure, Is.EqualTo(ConfinedOpenFailure.OutsideRoot));
    }

    private static string Snapshot(string folder) => string.Join('\n', Directory
        .EnumerateFileSystemEntries(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
        .Order(StringComparer.Ordinal)
        .Select(p => File.Exists(p) ? $"{p} {new FileInfo(p).Length} {File.GetLastWriteTimeUtc(p).Ticks} {File.ReadAllText(p)}" : p));
}
