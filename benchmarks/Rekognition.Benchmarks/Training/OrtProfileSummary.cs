using System.Globalization;
using System.Text.Json;

namespace Rekognition.Benchmarks.Training;

/// <summary>ONNX Runtime's profile of a run of training steps, summed by op type and by node and printed per step.</summary>
internal static class OrtProfileSummary
{
    /// <summary>
    /// Sets an engine up with profiling on, runs its <paramref name="steps"/> steps, closes it and prints the profile
    /// (<see cref="Print"/>); returns the process exit code.
    /// </summary>
    public static int Profile(Action setup, Action run, Func<string> endProfiling, Action close, int steps)
    {
        setup();
        string file;
        try
        {
            run();
            file = endProfiling();
        }
        finally
        {
            close();
        }

        Print(file, steps);
        return 0;
    }

    /// <summary>Prints the kernel time of the profile <paramref name="file"/> over <paramref name="steps"/> steps by op type and the largest nodes, then deletes the file.</summary>
    public static void Print(string file, int steps)
    {
        var byOp = new Dictionary<string, (double Microseconds, int Count)>(StringComparer.Ordinal);
        var byNode = new Dictionary<string, double>(StringComparer.Ordinal);
        double total = 0;
        using (var json = JsonDocument.Parse(File.ReadAllText(file)))
        {
            foreach (var e in json.RootElement.EnumerateArray())
            {
                if (e.GetProperty("cat").GetString() != "Node" || !e.GetProperty("name").GetString()!.EndsWith("_kernel_time", StringComparison.Ordinal))
                {
                    continue;
                }

                var op = e.GetProperty("args").GetProperty("op_name").GetString()!;
                var duration = e.GetProperty("dur").GetDouble();
                var (sum, count) = byOp.GetValueOrDefault(op);
                byOp[op] = (sum + duration, count + 1);
                var node = op + " " + e.GetProperty("name").GetString()![..^"_kernel_time".Length];
                byNode[node] = byNode.GetValueOrDefault(node) + duration;
                total += duration;
            }
        }

        File.Delete(file);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PROFILE {steps} steps, kernel time {total / 1000 / steps:F1} ms per step"));
        foreach (var (op, (sum, count)) in byOp.OrderByDescending(p => p.Value.Microseconds))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {op,-28} {sum / 1000 / steps,8:F1} ms/step {100 * sum / total,5:F1} %  ({count / steps} nodes)"));
        }

        Console.WriteLine("Largest nodes:");
        foreach (var (node, sum) in byNode.OrderByDescending(p => p.Value).Take(30))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {node,-60} {sum / 1000 / steps,8:F1} ms/step"));
        }
    }
}
