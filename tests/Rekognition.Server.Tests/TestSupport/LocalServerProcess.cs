using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Rekognition.Server.Tests.TestSupport;

/// <summary>
/// One samples/LocalServer process on http://127.0.0.1:&lt;free port&gt;, a host of a cluster sharing one store, with its
/// console log kept for assertions. Killing it (<see cref="Kill"/>) is SIGKILL, as a crash would be.
/// </summary>
public sealed class LocalServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log;
    private readonly WireClient _wire;

    private LocalServerProcess(string name, Process process, string endpoint, ConcurrentQueue<string> log)
    {
        Name = name;
        _process = process;
        _log = log;
        Endpoint = endpoint;
        _wire = new WireClient(endpoint);
    }

    public string Name { get; }

    public string Endpoint { get; }

    /// <summary>Everything the process wrote so far, stdout and stderr.</summary>
    public string Log => string.Join('\n', _log);

    /// <summary>
    /// Starts LocalServer with <paramref name="settings"/> as <c>--key=value</c> arguments (they win over the
    /// environment) and <paramref name="environment"/> added to its environment, and waits until it listens.
    /// </summary>
    public static async Task<LocalServerProcess> StartAsync(string name, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = LocalServerDll();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var (key, value) in settings)
        {
            info.ArgumentList.Add($"--{key}={value}");
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => Received(e.Data);
        process.ErrorDataReceived += (_, e) => Received(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        void Received(string? line)
        {
            if (line is null)
            {
                listening.TrySetException(new InvalidOperationException($"LocalServer {name} ended before it listened:\n{string.Join('\n', log)}"));
                return;
            }

            log.Enqueue(line);
            const string marker = "Now listening on: ";
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                listening.TrySetResult(line[(at + marker.Length)..].Trim().TrimEnd('/'));
            }
        }

        string endpoint;
        try
        {
            endpoint = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }

        return new LocalServerProcess(name, process, endpoint, log);
    }

    /// <summary>Calls <paramref name="operation"/> with <paramref name="body"/>; returns the status and the JSON answer.</summary>
    public async Task<(int Status, JsonElement Json)> CallAsync(string operation, object body)
    {
        var answer = await _wire.SendAsync($"RekognitionService.{operation}", JsonSerializer.Serialize(body));
        return (answer.Status, answer.Body.Length == 0 ? default : answer.Json);
    }

    /// <summary>As <see cref="CallAsync"/>, asserting a 200 answer.</summary>
    public async Task<JsonElement> OkAsync(string operation, object body)
    {
        var (status, json) = await CallAsync(operation, body);
        Assert.That(status, Is.EqualTo(200), $"{operation} on host {Name}: {json}");
        return json;
    }

    /// <summary>GETs the console's API <paramref name="path"/> (e.g. <c>evaluation?version=...</c>) from loopback; returns the status and the JSON answer.</summary>
    public async Task<(int Status, JsonElement Json)> ConsoleGetAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Endpoint + "/") };
        using var response = await http.GetAsync("console/api/" + path);
        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body.Length == 0 ? "null" : body);
        return ((int)response.StatusCode, document.RootElement.Clone());
    }

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Kills the process at once (SIGKILL): no shutdown, no lease given back.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        _wire.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    // LocalServer is built beside the tests (a project reference), else in its own output folder.
    private static string LocalServerDll()
    {
        var testDir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        var beside = Path.Combine(testDir.FullName, "LocalServer.dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(testDir.FullName, "LocalServer.runtimeconfig.json")))
        {
            return beside;
        }

        var framework = testDir.Name;
        var configuration = testDir.Parent!.Name;
        var repo = testDir.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var own = Path.Combine(repo, "samples", "LocalServer", "bin", configuration, framework, "LocalServer.dll");
        Assert.That(File.Exists(own), Is.True, $"LocalServer is not built: run dotnet build samples/LocalServer -c {configuration} (looked for {own}).");
        return own;
    }
}
