using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;

namespace Rekognition.Testing.Fuzzing;

/// <summary>One fuzz input: its bytes and the sub-folder of the regression corpus it belongs in (e.g. an operation name).</summary>
internal sealed record FuzzInput(string Group, byte[] Bytes);

/// <summary>An input that failed: an exception other than the documented outcomes, a broken invariant, or a hang.</summary>
internal sealed record FuzzFailure(FuzzInput Input, long Index, string Kind, string Detail, string? SavedAs);

/// <summary>What a fuzz run did.</summary>
internal sealed record FuzzReport(string Parser, int Seed, long Inputs, TimeSpan Elapsed, IReadOnlyList<FuzzFailure> Failures)
{
    public double InputsPerSecond => Inputs / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"fuzz {Parser}: seed {Seed}, {Inputs:N0} inputs in {Elapsed.TotalSeconds:F1} s ({InputsPerSecond:N0}/s), {Failures.Count} failure(s)");

    /// <summary>The summary and each failure with what reproduces it (seed and index, the saved file, small inputs inline).</summary>
    public string Describe() => ToString() + string.Concat(Failures.Select(f =>
        $"\n- {f.Kind} at input {f.Index} ({FuzzLoop.SeedVariable}={Seed} {FuzzLoop.FirstVariable}={f.Index}), saved as {f.SavedAs}: {string.Join(" | ", f.Detail.Split('\n').Take(4)).Trim()}"
        + (f.Input.Bytes.Length <= 2048 ? $"\n  input (base64): {Convert.ToBase64String(f.Input.Bytes)}" : "")));
}

/// <summary>
/// Runs a fuzz check for a time budget on a worker thread while the calling thread watches for hangs.
/// Settings come from the environment so CI and a developer can differ without code changes:
/// <c>REKOGNITION_FUZZ_SECONDS</c> (budget per parser; default given by the test), <c>REKOGNITION_FUZZ_SEED</c>
/// (default: a new seed, printed), <c>REKOGNITION_FUZZ_FIRST</c> (index of the first input; default 0) and
/// <c>REKOGNITION_FUZZ_HANG_MS</c> (one input taking longer is a hang; default 2000, or the test's own).
/// Input <c>i</c> is made from its own <see cref="Random"/> seeded with (seed, i), so a failure reproduces from
/// the two numbers printed with it. Failing inputs are written to the regression corpus.
/// </summary>
internal static class FuzzLoop
{
    /// <summary>The environment variable that sets the time budget per parser, in seconds.</summary>
    public const string SecondsVariable = "REKOGNITION_FUZZ_SECONDS";

    /// <summary>The environment variable that fixes the seed.</summary>
    public const string SeedVariable = "REKOGNITION_FUZZ_SEED";

    /// <summary>The environment variable that sets the index of the first input (with the seed: start right at a failing input).</summary>
    public const string FirstVariable = "REKOGNITION_FUZZ_FIRST";

    /// <summary>The environment variable that sets the hang limit per input, in milliseconds.</summary>
    public const string HangVariable = "REKOGNITION_FUZZ_HANG_MS";

    /// <summary>Distinct failures kept per run; beyond them the run stops (one bug tends to repeat).</summary>
    private const int MaxFailures = 20;

    public static TimeSpan Budget(double defaultSeconds) =>
        TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable(SecondsVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : defaultSeconds);

    public static TimeSpan HangLimit(int defaultMilliseconds = 2000) =>
        TimeSpan.FromMilliseconds(int.TryParse(Environment.GetEnvironmentVariable(HangVariable), CultureInfo.InvariantCulture, out var ms) && ms > 0 ? ms : defaultMilliseconds);

    public static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), CultureInfo.InvariantCulture, out var seed) ? seed : Random.Shared.Next();

    /// <summary>The <see cref="Random"/> of input <paramref name="index"/> of a run seeded with <paramref name="seed"/>.</summary>
    public static Random RandomFor(int seed, long index) => new(HashCode.Combine(seed, index, 0x5eed));

    /// <summary>
    /// Runs <paramref name="check"/> on generated inputs until the budget is spent. <paramref name="check"/>
    /// throws on a failure (any exception counts: the documented outcomes must be handled inside it).
    /// </summary>
    public static FuzzReport Run(string parser, TimeSpan budget, TimeSpan hangLimit, int seed, Func<Random, FuzzInput> generate, Action<FuzzInput> check, RegressionCorpus corpus)
    {
        Log($"fuzz {parser}: seed {seed} ({SeedVariable}={seed} replays it), budget {budget.TotalSeconds:F0} s, hang limit {hangLimit.TotalMilliseconds:F0} ms");
        var failures = new List<FuzzFailure>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stop = 0;
        long index = long.TryParse(Environment.GetEnvironmentVariable(FirstVariable), CultureInfo.InvariantCulture, out var first) && first > 0 ? first - 1 : -1;
        var firstIndex = index + 1;
        long startedAt = 0;
        FuzzInput? current = null;
        var clock = Stopwatch.StartNew();

        void Record(FuzzInput input, long i, string kind, string detail, string signature)
        {
            lock (failures)
            {
                if (!seen.Add(signature) || failures.Count >= MaxFailures)
                {
                    return;
                }

                var saved = corpus.Save(input, kind);
                failures.Add(new FuzzFailure(input, i, kind, detail, saved));
                Log($"  FAILURE {kind} at input {i} (seed {seed}): {detail.Split('\n')[0]} -> {saved}");
            }
        }

        var worker = new Thread(() =>
        {
            while (Volatile.Read(ref stop) == 0)
            {
                var i = index + 1;
                var input = generate(RandomFor(seed, i));
                Volatile.Write(ref current, input);
                Volatile.Write(ref startedAt, clock.ElapsedTicks);
                Volatile.Write(ref index, i);
                try
                {
                    check(input);
                }
                catch (Exception ex)
                {
                    Record(input, i, ex is FuzzAssertionException ? "invariant" : "crash", ex.ToString(), Signature(ex));
                }

                Volatile.Write(ref startedAt, 0);
                lock (failures)
                {
                    if (failures.Count >= MaxFailures)
                    {
                        break;
                    }
                }
            }
        })
        {
            IsBackground = true,
            Name = "fuzz " + parser,
            // Deep nesting must be refused by depth limits, not by luck with a large stack: use the default size.
        };
        worker.Start();

        var hung = false;
        long rechecked = -1;
        while (clock.Elapsed < budget && worker.IsAlive)
        {
            Thread.Sleep(20);
            var began = Volatile.Read(ref startedAt);
            var i = Volatile.Read(ref index);
            var input = Volatile.Read(ref current)!;
            var elapsed = began == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((clock.ElapsedTicks - began) / (double)Stopwatch.Frequency);
            if (elapsed <= hangLimit)
            {
                continue;
            }

            // On a loaded machine (CI runs test assemblies side by side on two cores) a thread can stall for
            // seconds: an input counts as a hang only if it is slow again on a fresh thread, or very slow.
            if (elapsed < 5 * hangLimit)
            {
                if (i == rechecked)
                {
                    continue;
                }

                rechecked = i;
                if (FinishesWithin(input, check, hangLimit))
                {
                    Log($"  input {i} took over {hangLimit.TotalMilliseconds:F0} ms once but not when run again: a stall of the machine, not a hang");
                    continue;
                }
            }

            Record(input, i, "hang", $"the input took more than {hangLimit.TotalMilliseconds:F0} ms, twice ({input.Bytes.Length} bytes)", "hang");
            hung = true;
            break;
        }

        Volatile.Write(ref stop, 1);
        if (!hung && !worker.Join(hangLimit + TimeSpan.FromSeconds(5)))
        {
            var input = Volatile.Read(ref current)!;
            Record(input, Volatile.Read(ref index), "hang", $"the last input did not finish within {hangLimit.TotalMilliseconds:F0} ms after the budget", "hang");
        }

        // A hung worker is left running (a thread cannot be aborted); it is a background thread and dies with the process.
        var report = new FuzzReport(parser, seed, Volatile.Read(ref index) + 1 - firstIndex, clock.Elapsed, failures.ToArray());
        Log(report.ToString());
        return report;
    }

    /// <summary>Whether <paramref name="check"/> returns (or throws) on <paramref name="input"/> within <paramref name="limit"/>, run on a thread of its own.</summary>
    private static bool FinishesWithin(FuzzInput input, Action<FuzzInput> check, TimeSpan limit)
    {
        var run = Task.Factory.StartNew(() => check(input), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            return run.Wait(limit);
        }
        catch (AggregateException)
        {
            return true;
        }
    }

    /// <summary>Runs <paramref name="check"/> on a saved input, bounded by <paramref name="hangLimit"/>; null when it passes, else what went wrong.</summary>
    public static string? ReplayOne(FuzzInput input, Action<FuzzInput> check, TimeSpan hangLimit)
    {
        // Slow twice on fresh threads, as in the fuzz loop, before it counts as a hang.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var run = Task.Factory.StartNew(() => check(input), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            try
            {
                if (run.Wait(hangLimit))
                {
                    return null;
                }
            }
            catch (AggregateException ex)
            {
                return ex.InnerException!.ToString();
            }
        }

        return $"still hangs (more than {hangLimit.TotalMilliseconds:F0} ms, twice)";
    }

    /// <summary>Exception type plus the first frame of ours (or a broken invariant's message without its numbers): the same bug found twice counts once.</summary>
    private static string Signature(Exception ex)
    {
        var frame = ex.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("Rekognition.", StringComparison.Ordinal))?.Trim() ?? "";
        return ex.GetType().FullName + "|" + (ex is FuzzAssertionException ? System.Text.RegularExpressions.Regex.Replace(ex.Message, "[0-9]+", "#")[..Math.Min(ex.Message.Length, 80)] : frame);
    }

    private static void Log(string line) => TestContext.Progress.WriteLine(line);
}

/// <summary>A broken invariant found by a fuzz check (rather than an exception thrown by the code under test).</summary>
internal sealed class FuzzAssertionException(string message) : Exception(message)
{
    public static void That(bool condition, string message)
    {
        if (!condition)
        {
            throw new FuzzAssertionException(message);
        }
    }
}

/// <summary>
/// The inputs that ever failed, one file each under <c>Fuzzing/Regressions/&lt;parser&gt;/[group/]</c> of the test
/// project. New failures are written into the project's source folder (so they get committed), whose path the
/// build records in the assembly; the replay tests read the copy that the build puts next to the binaries.
/// </summary>
internal sealed class RegressionCorpus(string parser, string extension)
{
    private const string SourceMetadataKey = "FuzzRegressionsSource";

    public string Parser { get; } = parser;

    /// <summary>The folder the replay tests read: the build's copy of the corpus.</summary>
    public string ReplayFolder => Path.Combine(AppContext.BaseDirectory, "Fuzzing", "Regressions", Parser);

    /// <summary>Every saved input, with its group (sub-folder) and file name.</summary>
    public IEnumerable<(FuzzInput Input, string Name)> Load()
    {
        if (!Directory.Exists(ReplayFolder))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(ReplayFolder, "*" + extension, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var group = Path.GetRelativePath(ReplayFolder, Path.GetDirectoryName(file)!);
            yield return (new FuzzInput(group == "." ? "" : group, File.ReadAllBytes(file)), Path.GetRelativePath(ReplayFolder, file));
        }
    }

    /// <summary>Writes <paramref name="input"/> into the corpus (named by its hash); returns the path, or why not.</summary>
    public string Save(FuzzInput input, string kind)
    {
        var source = typeof(RegressionCorpus).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == SourceMetadataKey)?.Value;
        var root = source is not null && Directory.Exists(Path.GetDirectoryName(source))
            ? Path.Combine(source, Parser)
            : Path.Combine(TestContext.CurrentContext.WorkDirectory, "fuzz-regressions", Parser);
        var folder = input.Group.Length == 0 ? root : Path.Combine(root, input.Group);
        var name = $"{kind}-{Convert.ToHexStringLower(SHA256.HashData(input.Bytes))[..16]}{extension}";
        try
        {
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, name);
            File.WriteAllBytes(path, input.Bytes);
            return path;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"(not saved: {ex.Message}; base64 {Convert.ToBase64String(input.Bytes.AsSpan(0, Math.Min(input.Bytes.Length, 4096)))})";
        }
    }
}
