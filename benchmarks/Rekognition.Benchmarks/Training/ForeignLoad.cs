using System.Diagnostics;
using System.Globalization;

namespace Rekognition.Benchmarks.Training;

/// <summary>
/// The cores other processes kept busy while this one ran something (Linux's /proc/stat busy time minus this process's
/// CPU time, over the wall time), as the PyTorch peers report theirs: a round either side of which ran beside foreign
/// load is not a fair comparison (PyTorch's spinning OpenMP workers lose far more to a loaded machine than ONNX
/// Runtime's sleeping ones). NaN where /proc/stat cannot be read.
/// </summary>
internal static class ForeignLoad
{
    /// <summary>Runs <paramref name="work"/> and returns its result and the foreign cores busy meanwhile.</summary>
    public static (T Result, double Cores) During<T>(Func<T> work)
    {
        using var process = Process.GetCurrentProcess();
        var busy = MachineBusySeconds();
        var own = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = work();
        var wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var foreign = MachineBusySeconds() - busy - (process.TotalProcessorTime - own).TotalSeconds;
        return (result, double.IsNaN(foreign) ? double.NaN : Math.Max(0, foreign) / wall);
    }

    // All CPUs' busy seconds (every /proc/stat "cpu" field but idle and iowait), as the peers' machine_busy().
    private static double MachineBusySeconds()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            // USER_HZ is 100 on every Linux build .NET runs on.
            return (fields.Sum() - fields[3] - fields[4]) / 100.0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return double.NaN;
        }
    }
}
