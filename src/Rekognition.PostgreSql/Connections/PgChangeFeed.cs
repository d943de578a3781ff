using Microsoft.Extensions.Logging;
using Npgsql;
using Rekognition.Core.Catalog;

namespace Rekognition.PostgreSql.Connections;

/// <summary>
/// This process's ear on the catalog: one long-lived connection of its own that <c>LISTEN</c>s on the catalog's channel
/// (the triggers of migrations 8 and 10 send <c>'serving'</c>, <c>'jobs'</c> or <c>'aliases'</c> there when the change commits) and waits for
/// notifications. A connection that drops (a restarted server, <c>pg_terminate_backend</c>, a network cut seen by the
/// keepalive) is opened again after a pause that doubles up to <see cref="MaxPause"/>; once listening again it reports
/// every kind of change, as it cannot know what it missed meanwhile.
/// </summary>
internal sealed class PgChangeFeed
{
    /// <summary>The first pause after a failure; doubled at each failure in a row.</summary>
    internal static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest pause between two attempts to listen again.</summary>
    internal static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(30);

    // Silence this long makes Npgsql send a keepalive query, so a connection cut without a word is found and replaced.
    private const int KeepAliveSeconds = 15;

    private readonly string _connectionString;
    private readonly string _where;
    private readonly ILogger? _logger;

    public PgChangeFeed(NpgsqlConnectionStringBuilder settings, string where, ILogger? logger)
    {
        // Its own unpooled connection: it lives as long as the host, and is closed for real when the feed stops.
        var own = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Pooling = false };
        if (own.KeepAlive == 0)
        {
            own.KeepAlive = KeepAliveSeconds;
        }

        _connectionString = own.ConnectionString;
        _where = where;
        _logger = logger;
    }

    public async Task ListenAsync(Action<CatalogChange> changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var pause = FirstPause;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                connection.Notification += (_, e) => Report(changed, e.Payload);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await ListenOnAsync(connection, cancellationToken).ConfigureAwait(false);
                if (failures > 0 && _logger is not null)
                {
                    PgCatalogLog.ListeningAgain(_logger, _where, failures);
                }

                failures = 0;
                pause = FirstPause;
                changed(CatalogChange.Serving); // what was committed while nobody listened
                changed(CatalogChange.Jobs);
                changed(CatalogChange.Aliases);
                while (true)
                {
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (PgDatabase.IsDatabaseFailure(ex) || ex is System.IO.IOException or TimeoutException or System.Net.Sockets.SocketException)
            {
                if (failures++ == 0 && _logger is not null)
                {
                    PgCatalogLog.ListenerLost(_logger, ex, _where);
                }
            }

            try
            {
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
        }
    }

    // The channel is named after the schema the catalog's tables are in, as the triggers name it (TG_TABLE_SCHEMA).
    private static async Task ListenOnAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var channel = connection.Command(
            "SELECT 'rekognition_' || md5(n.nspname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = 'jobs'::regclass");
        var name = (string)(await channel.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        await using var listen = connection.Command($"LISTEN \"{name}\""); // 'rekognition_' and hex digits: nothing to escape
        await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Report(Action<CatalogChange> changed, string payload)
    {
        switch (payload)
        {
            case "serving":
                changed(CatalogChange.Serving);
                break;
            case "jobs":
                changed(CatalogChange.Jobs);
                break;
            case "aliases":
                changed(CatalogChange.Aliases);
                break;
        }
    }
}
