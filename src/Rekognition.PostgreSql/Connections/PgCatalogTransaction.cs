using Npgsql;
using Rekognition.Core.Catalog;

namespace Rekognition.PostgreSql.Connections;

/// <summary>
/// A catalog transaction on PostgreSQL: its own connection and the transaction on it, closed together. A bulk writer
/// streaming rows (COPY) over the connection registers itself, so any other use of the transaction first finishes the
/// stream, and a rollback cancels it.
/// </summary>
internal sealed class PgCatalogTransaction : ICatalogTransaction
{
    private readonly HashSet<long> _lockedProjects = new();
    private IPendingWrites? _pending;

    public PgCatalogTransaction(NpgsqlConnection connection, PgDatabase database)
    {
        Connection = connection;
        Database = database;
        try
        {
            Transaction = connection.BeginTransaction();
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    public PgDatabase Database { get; }

    /// <summary>The PostgreSQL transaction behind <paramref name="transaction"/>; another provider's is a programming error.</summary>
    public static PgCatalogTransaction Of(ICatalogTransaction transaction) =>
        transaction as PgCatalogTransaction
        ?? throw new ArgumentException("The transaction was not begun by this PostgreSQL catalog.", nameof(transaction));

    /// <summary>
    /// True the first time a project's row lock is asked for in this transaction (the lock is held until it ends, so a
    /// second <c>FOR UPDATE</c> would only cost a round trip).
    /// </summary>
    public bool FirstLockOfProject(long projectId) => _lockedProjects.Add(projectId);

    /// <summary>Registers the stream that owns the connection until it is settled.</summary>
    public void Begin(IPendingWrites pending) => _pending = pending;

    /// <summary>Ends the registration of <paramref name="pending"/>.</summary>
    public void End(IPendingWrites pending)
    {
        if (ReferenceEquals(_pending, pending))
        {
            _pending = null;
        }
    }

    /// <summary>Finishes a stream still open on the connection, so another statement can run.</summary>
    public void SettlePendingWrites() => _pending?.Flush();

    public void Commit()
    {
        try
        {
            SettlePendingWrites();
            Transaction.Commit();
        }
        catch (Exception ex) when (PgDatabase.IsDatabaseFailure(ex))
        {
            throw PgDatabase.Lost(ex);
        }
    }

    public void Rollback()
    {
        _pending?.Cancel();
        _pending = null;
        try
        {
            Transaction.Rollback();
        }
        catch (Exception ex) when (PgDatabase.IsDatabaseFailure(ex))
        {
            // A lost connection has rolled the transaction back already.
            throw PgDatabase.Lost(ex);
        }
    }

    public void Dispose()
    {
        _pending?.Cancel();
        _pending = null;
        try
        {
            Transaction.Dispose();
        }
        catch (Exception ex) when (PgDatabase.IsDatabaseFailure(ex))
        {
            // Disposing a transaction whose connection broke: the server rolled it back; nothing to undo.
        }

        Connection.Dispose();
    }
}

/// <summary>Rows streamed over a transaction's connection and not yet settled.</summary>
internal interface IPendingWrites
{
    /// <summary>Ends the stream, keeping its rows in the transaction.</summary>
    void Flush();

    /// <summary>Ends the stream, dropping its rows (the transaction rolls back).</summary>
    void Cancel();
}
