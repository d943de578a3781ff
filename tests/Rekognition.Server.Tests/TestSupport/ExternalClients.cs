using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Rekognition.Server.Tests.TestSupport;

/// <summary>The result of one client process.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json()
    {
        Assert.That(ExitCode, Is.Zero, $"exit {ExitCode}; stderr: {Stderr}");
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(Stdout) ? "{}" : Stdout);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>
/// Runs the AWS CLI and boto3 that the machine has (clients no one here wrote) against a local endpoint,
/// isolated from any AWS configuration of the machine: credentials from the environment, empty config
/// and credentials files, no instance metadata, one attempt per call.
/// </summary>
public sealed class ExternalClients
{
    private static readonly Lazy<bool> AwsCli = new(() => Probe("aws", "--version"));
    private static readonly Lazy<bool> Boto3 = new(() => Probe("python3", "-c \"import boto3\""));

    private readonly string _endpoint;
    private readonly string _accessKeyId;
    private readonly string _secretAccessKey;
    private readonly string _workDir;

    public ExternalClients(string endpoint, string workDir, string accessKeyId = "test", string secretAccessKey = "test")
    {
        _endpoint = endpoint;
        _accessKeyId = accessKeyId;
        _secretAccessKey = secretAccessKey;
        _workDir = workDir;
        Directory.CreateDirectory(workDir);
        File.WriteAllText(Path.Combine(workDir, "aws-config"), string.Empty);
        File.WriteAllText(Path.Combine(workDir, "aws-credentials"), string.Empty);
    }

    public static void RequireAwsCli()
    {
        if (!AwsCli.Value)
        {
            Assert.Fail("The AWS CLI ('aws') is not installed on this machine: install it (pip install awscli, or Debian's awscli) so the conformance tests can drive the server.");
        }
    }

    public static void RequireBoto3()
    {
        if (!Boto3.Value)
        {
            Assert.Fail("python3 with boto3 is not installed on this machine: install it (pip install boto3, or Debian's python3-boto3) so the conformance tests can drive the server.");
        }
    }

    /// <summary><c>aws rekognition &lt;args&gt; --endpoint-url ... --region us-east-1 --output json</c>.</summary>
    public Task<ProcessResult> AwsAsync(params string[] args) =>
        RunAsync("aws", ["rekognition", .. args, "--endpoint-url", _endpoint, "--region", LocalServerFixture.Region, "--output", "json"]);

    /// <summary>
    /// Runs a boto3 script after a prelude that defines <c>rk</c> (the client), <c>step(name, fn)</c>
    /// (records the parsed response, or the exception's class name, error code, message and HTTP status)
    /// and prints every step's record as one JSON object at the end.
    /// </summary>
    public async Task<JsonElement> Boto3Async(string script)
    {
        var path = Path.Combine(_workDir, $"script-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(path, Boto3Prelude + script + "\nprint(json.dumps(RESULTS, default=_default))\n");
        var result = await RunAsync("python3", [path]);
        return result.Json();
    }

    private const string Boto3Prelude = """
        import base64, datetime, json, os, sys
        import boto3, botocore
        from botocore.config import Config
        rk = boto3.client('rekognition', endpoint_url=os.environ['RK_ENDPOINT'], region_name='us-east-1',
                          config=Config(retries={'max_attempts': 1, 'mode': 'standard'}))
        RESULTS = {}
        def _default(o):
            if isinstance(o, datetime.datetime):
                return {'datetime': o.isoformat(), 'epoch': o.timestamp()}
            if isinstance(o, (bytes, bytearray)):
                return base64.b64encode(o).decode()
            return str(o)
        def step(name, fn):
            try:
                r = fn()
                if isinstance(r, dict):
                    r = {k: v for k, v in r.items() if k != 'ResponseMetadata'}
                RESULTS[name] = {'ok': r}
                return r
            except botocore.exceptions.ClientError as e:
                RESULTS[name] = {'error': {'class': type(e).__name__, 'code': e.response['Error']['Code'],
                                           'message': e.response['Error'].get('Message'),
                                           'status': e.response['ResponseMetadata'].get('HTTPStatusCode')}}
                return None

        """;

    private async Task<ProcessResult> RunAsync(string fileName, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _workDir,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_ENDPOINT_URL", "AWS_CA_BUNDLE" })
        {
            info.Environment.Remove(name);
        }

        info.Environment["AWS_ACCESS_KEY_ID"] = _accessKeyId;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = _secretAccessKey;
        info.Environment["AWS_CONFIG_FILE"] = Path.Combine(_workDir, "aws-config");
        info.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_workDir, "aws-credentials");
        info.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        info.Environment["AWS_MAX_ATTEMPTS"] = "1";
        info.Environment["AWS_RETRY_MODE"] = "standard";
        info.Environment["AWS_PAGER"] = string.Empty;
        info.Environment["RK_ENDPOINT"] = _endpoint;

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(300));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish in 300 s.");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    private static bool Probe(string fileName, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(fileName, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            return process.WaitForExit(30_000) && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>A step's parsed response (asserting it succeeded).</summary>
    public static JsonElement Ok(JsonElement results, string step)
    {
        var record = results.GetProperty(step);
        Assert.That(record.TryGetProperty("ok", out var ok), Is.True, $"{step} failed: {record}");
        return ok;
    }

    /// <summary>A step's error (asserting it failed).</summary>
    public static JsonElement Error(JsonElement results, string step)
    {
        var record = results.GetProperty(step);
        Assert.That(record.TryGetProperty("error", out var error), Is.True, $"{step} succeeded: {record}");
        return error;
    }

    public static string Text(string value) => Encoding.UTF8.GetString(Convert.FromBase64String(value));
}
