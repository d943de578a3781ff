using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Rekognition.Server.Tests.TestSupport;

/// <summary>
/// A PostgreSQL server of a test's own, which it may stop and start: Debian's binaries (the newest
/// <c>/usr/lib/postgresql/*/bin</c>, as .ci/postgres.sh finds them), <c>initdb</c> into a temporary folder (as the
/// <c>postgres</c> user, or <c>nobody</c>, when the tests run as root: initdb refuses root), <c>pg_ctl</c> on a free
/// loopback port with a random password. Stopped and removed when disposed.
/// </summary>
public sealed class ThrowawayPostgres : IDisposable
{
    private readonly string _bin;
    private readonly string _dir;
    private readonly string? _user;
    private readonly int _port;

    private ThrowawayPostgres(string bin, string dir, string? user, int port, string password)
    {
        _bin = bin;
        _dir = dir;
        _user = user;
        _port = port;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=rekognition;Password={password};Database=postgres";
    }

    /// <summary>The server's Npgsql connection string (the <c>postgres</c> database).</summary>
    public string ConnectionString { get; }

    /// <summary>Makes and starts a server; fails the test, saying how to install PostgreSQL, when it is missing.</summary>
    public static ThrowawayPostgres Start()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderBy(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var major) ? major : 0)
                .LastOrDefault()
            : null;
        if (bin is null)
        {
            Assert.Fail("PostgreSQL's server binaries are missing (no /usr/lib/postgresql/*/bin/initdb): this test runs a PostgreSQL " +
                        "server of its own. Install Debian's package: apt-get install postgresql (.ci/run's PostgreSQL step does).");
        }

        string? user = null;
        if (Environment.UserName == "root")
        {
            user = Run("id", ["-u", "postgres"], null, throwOnFailure: false).ExitCode == 0 ? "postgres" : "nobody";
        }

        var dir = Directory.CreateTempSubdirectory("rk-pg-restart-").FullName;
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        File.WriteAllText(Path.Combine(dir, "pwfile"), password + "\n");
        if (user is not null)
        {
            Run("chown", ["-R", user, dir], null);
        }

        var server = new ThrowawayPostgres(bin!, dir, user, FreePort(), password);
        server.Pg("initdb", ["-D", server.Data, "-U", "rekognition", "--pwfile=" + Path.Combine(dir, "pwfile"), "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]);
        server.StartServer();
        return server;
    }

    private string Data => Path.Combine(_dir, "data");

    /// <summary>Starts the stopped server again, on the same port.</summary>
    public void StartServer() => Pg("pg_ctl", ["-D", Data, "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60",
        "-o", $"-p {_port} -c listen_addresses=127.0.0.1 -k {_dir} -c fsync=off -c full_page_writes=off", "start"]);

    /// <summary>Stops the server as an operator's restart does (<c>-m fast</c>: sessions are ended, transactions rolled back).</summary>
    public void StopServer() => Pg("pg_ctl", ["-D", Data, "-m", "fast", "-w", "stop"]);

    /// <summary>The server's log, for a failure message.</summary>
    public string Log => File.Exists(Path.Combine(_dir, "server.log")) ? File.ReadAllText(Path.Combine(_dir, "server.log")) : "";

    public void Dispose()
    {
        Pg("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "stop"], throwOnFailure: false);
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Pg(string program, string[] arguments, bool throwOnFailure = true) =>
        Run(Path.Combine(_bin, program), arguments, _user, throwOnFailure);

    private static (int ExitCode, string Output) Run(string program, string[] arguments, string? user, bool throwOnFailure = true)
    {
        var info = new ProcessStartInfo(user is null ? program : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (user is not null)
        {
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add(user);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var text = output.Result + error.Result;
        if (throwOnFailure && process.ExitCode != 0)
        {
            Assert.Fail($"{Path.GetFileName(program)} failed ({process.ExitCode}): {text}");
        }

        return (process.ExitCode, text);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
