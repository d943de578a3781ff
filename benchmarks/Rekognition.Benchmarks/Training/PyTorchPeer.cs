using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Rekognition.Benchmarks.Inference;

namespace Rekognition.Benchmarks.Training;

/// <summary>
/// A PyTorch peer script from shared/peers, run in its own process under REKOGNITION_PEER_PYTHON (/usr/bin/python3
/// by default, Debian's python3-torch), and the interleaved rounds the versus-PyTorch runners time it in. A peer
/// prints its timings as lines on standard output; <see cref="Time"/> reads one number from them.
/// </summary>
internal sealed class PyTorchPeer
{
    private PyTorchPeer(string python, string script)
    {
        Python = python;
        Script = script;
    }

    /// <summary>The interpreter the peer runs under.</summary>
    public string Python { get; }

    /// <summary>The peer script's full path.</summary>
    public string Script { get; }

    /// <summary>The peer shared/peers/<paramref name="scriptName"/>, or null (with the reason on standard error) when it is missing.</summary>
    public static PyTorchPeer? Find(string scriptName) => At(Path.GetFullPath(Path.Combine(InferenceData.Root, "..", "peers", scriptName)));

    /// <summary>The peer script at <paramref name="script"/> (e.g. one of the repository's benchmarks/peers), or null when it is missing.</summary>
    public static PyTorchPeer? At(string script)
    {
        var python = Environment.GetEnvironmentVariable("REKOGNITION_PEER_PYTHON") is { Length: > 0 } configured ? configured : "/usr/bin/python3";
        if (!File.Exists(script))
        {
            Console.Error.WriteLine($"The PyTorch peer {script} was not found.");
            return null;
        }

        return new PyTorchPeer(python, script);
    }

    /// <summary>
    /// Runs the peer with <paramref name="arguments"/> and returns the number in group <paramref name="group"/> of the
    /// first match of <paramref name="timing"/> in its output; throws with the peer's standard error when it fails or
    /// prints no such line.
    /// </summary>
    public double Time(Regex timing, int group, params string[] arguments) => Number(Run(arguments), timing, group);

    /// <summary>The number in group <paramref name="group"/> of the first match of <paramref name="pattern"/> in the peer's <paramref name="output"/>.</summary>
    public static double Number(string output, Regex pattern, int group)
    {
        var match = pattern.Match(output);
        return match.Success
            ? double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"The PyTorch peer printed no line matching {pattern}.");
    }

    /// <summary>Runs the peer with <paramref name="arguments"/> and returns its standard output; throws with its standard error when it fails.</summary>
    public string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Python} did not start.");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The PyTorch peer failed (exit {process.ExitCode}): {errors.Result}");
        }

        return output;
    }

    /// <summary>
    /// Runs <paramref name="rounds"/> rounds of ours and theirs back to back, alternating which goes first (the peer
    /// first in even rounds), so drift in the machine's speed falls on both; reports each round and returns the
    /// ratios ours / theirs.
    /// </summary>
    public static List<double> Interleave(int rounds, Func<double> ours, Func<double> theirs, Action<int, double, double> report)
    {
        var ratios = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            double our, their;
            if (round % 2 == 0)
            {
                their = theirs();
                our = ours();
            }
            else
            {
                our = ours();
                their = theirs();
            }

            ratios.Add(our / their);
            report(round + 1, our, their);
        }

        return ratios;
    }
}
