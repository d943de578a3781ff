using Npgsql;
using Rekognition.Core.Catalog;
using Rekognition.Core.Model;

namespace Rekognition.PostgreSql.Connections;

/// <summary>
/// The catalog database: a pooled data source and the one way the stores run their SQL, on the caller's transaction
/// or on a connection of their own. A failure of the database (a lost connection, a restarted server) leaves the
/// stores as <see cref="InternalServerErrorException"/>, the service's retryable error: PostgreSQL rolls back whatever
/// the transaction had written, so the caller sees an error and the catalog the state before the call.
/// </summary>
internal sealed class PgDatabase(NpgsqlDataSource source) : IDisposable
{
    public NpgsqlDataSource Source { get; } = source;

    /// <summary>Runs <paramref name="body"/> inside <paramref name="transaction"/>, or on a pooled connection (one statement is its own transaction).</summary>
    public T Run<T>(ICatalogTransaction? transaction, Func<NpgsqlConnection, NpgsqlTransaction?, T> body)
    {
        try
        {
            if (transaction is null)
            {
                using var connection = Source.OpenConnection();
                return body(connection, null);
            }

            var pg = PgCatalogTransaction.Of(transaction);
            pg.SettlePendingWrites();
            return body(pg.Connection, pg.Transaction);
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            throw Lost(ex);
        }
    }

    /// <summary>As <see cref="Run{T}"/> for a body without a result.</summary>
    public void Run(ICatalogTransaction? transaction, Action<NpgsqlConnection, NpgsqlTransaction?> body) =>
        Run(transaction, (connection, tx) =>
        {
            body(connection, tx);
            return true;
        });

    /// <summary>Runs <paramref name="body"/> inside <paramref name="transaction"/>, or in a transaction of its own committed when it returns.</summary>
    public T InTransaction<T>(ICatalogTransaction? transaction, Func<NpgsqlConnection, NpgsqlTransaction, T> body)
    {
        if (transaction is not null)
        {
            return Run(transaction, (connection, tx) => body(connection, tx!));
        }

        return Run(null, (connection, _) =>
        {
            using var own = connection.BeginTransaction();
            var result = body(connection, own);
            own.Commit();
            return result;
        });
    }

    /// <summary>A transaction on a connection of its own.</summary>
    public PgCatalogTransaction BeginTransaction()
    {
        try
        {
            return new PgCatalogTransaction(Source.OpenConnection(), this);
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            throw Lost(ex);
        }
    }

    /// <summary>Whether <paramref name="exception"/> is the database's failure rather than the program's.</summary>
    public static bool IsDatabaseFailure(Exception exception) =>
        exception is NpgsqlException || (exception is InvalidOperationException && exception.Source == "Npgsql");

    /// <summary>The service's retryable error for a database failure (its details are in the inner exception, for the log; none reach the caller).</summary>
    public static InternalServerErrorException Lost(Exception exception) =>
        exception as InternalServerErrorException ?? new InternalServerErrorException(
            "The catalog database did not complete the request (its connection was lost or it failed); nothing of the request was kept. Retry the request.",
            exception);

    public void Dispose() => Source.Dispose();
}
