using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Rekognition.Core.Video;

/// <summary>
/// Takes one frame per second out of a video with FFmpeg (frames whose index is a multiple of floor(fps), as
/// the guide's example does), as JPEG. Needs the <c>ffmpeg</c> and <c>ffprobe</c> programs: on the PATH, or in
/// the folder given.
/// </summary>
public sealed class FfmpegFrameSource : IVideoFrameSource
{
    private readonly string _ffmpeg;
    private readonly string _ffprobe;

    /// <summary>Finds FFmpeg in <paramref name="ffmpegFolder"/>, or on the PATH when null.</summary>
    /// <exception cref="InvalidOperationException">FFmpeg is not installed there; the message says how to fix it.</exception>
    public FfmpegFrameSource(string? ffmpegFolder = null)
    {
        _ffmpeg = Find("ffmpeg", ffmpegFolder);
        _ffprobe = Find("ffprobe", ffmpegFolder);
    }

    /// <summary>Whether FFmpeg can be found on the PATH.</summary>
    public static bool IsInstalled() => TryFind("ffmpeg", null) is not null && TryFind("ffprobe", null) is not null;

    /// <inheritdoc />
    public async IAsyncEnumerable<VideoFrame> ReadFramesAsync(string videoPath, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!File.Exists(videoPath))
        {
            throw new FileNotFoundException($"The video {Path.GetFullPath(videoPath)} does not exist.", videoPath);
        }

        var fps = ParseRate(await RunAsync(_ffprobe, cancellationToken,
            "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=avg_frame_rate", "-of", "default=noprint_wrappers=1:nokey=1", videoPath).ConfigureAwait(false), videoPath);
        var step = Math.Max(1, (int)Math.Floor(fps));
        var folder = Path.Combine(Path.GetTempPath(), $"rekognition-frames-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            await RunAsync(_ffmpeg, cancellationToken,
                "-v", "error", "-i", videoPath, "-vf", $"select=not(mod(n\\,{step}))", "-vsync", "vfr", "-q:v", "2",
                Path.Combine(folder, "frame_%08d.jpg")).ConfigureAwait(false);
            var files = Directory.GetFiles(folder, "frame_*.jpg").Order(StringComparer.Ordinal).ToArray();
            for (var k = 0; k < files.Length; k++)
            {
                var index = (long)k * step;
                yield return new VideoFrame(index, TimeSpan.FromSeconds(index / fps), await File.ReadAllBytesAsync(files[k], cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Reads ffprobe's frame rate ("30000/1001" or "25").</summary>
    internal static double ParseRate(string text, string videoPath)
    {
        var parts = text.Trim().Split('/');
        if (parts.Length is 1 or 2 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var numerator) &&
            (parts.Length == 1 ? 1 : double.Parse(parts[1], CultureInfo.InvariantCulture)) is var denominator && denominator > 0 && numerator > 0)
        {
            return numerator / denominator;
        }

        throw new InvalidDataException($"{videoPath} has no video stream with a frame rate (ffprobe said '{text.Trim()}').");
    }

    private static async Task<string> RunAsync(string program, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} could not be started.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidDataException($"{Path.GetFileName(program)} failed (exit code {process.ExitCode}): {(await error.ConfigureAwait(false)).Trim()}");
        }

        return await output.ConfigureAwait(false);
    }

    private static string Find(string program, string? folder) =>
        TryFind(program, folder) ?? throw new InvalidOperationException(folder is null
            ? $"{program} was not found on the PATH. Install FFmpeg (for example with the system's package manager), or pass the folder that holds ffmpeg and ffprobe."
            : $"{program} was not found in {Path.GetFullPath(folder)}. Pass the folder that holds ffmpeg and ffprobe.");

    private static string? TryFind(string program, string? folder)
    {
        var names = OperatingSystem.IsWindows() ? new[] { program + ".exe" } : new[] { program };
        var folders = folder is not null
            ? new[] { folder }
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return folders.SelectMany(f => names.Select(n => Path.Combine(f, n))).FirstOrDefault(File.Exists);
    }
}
