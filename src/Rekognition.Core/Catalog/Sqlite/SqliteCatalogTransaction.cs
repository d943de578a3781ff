using Microsoft.Data.Sqlite;

namespace Rekognition.Core.Catalog.Sqlite;

/// <summary>A catalog transaction on SQLite: its own connection and the transaction on it, closed together.</summary>
internal sealed class SqliteCatalogTransaction(SqliteConnection connection) : ICatalogTransaction
{
    public SqliteConnection Connection { get; } = connection;

    public SqliteTransaction Transaction { get; } = connection.BeginTransaction();

    /// <summary>The SQLite transaction behind <paramref name="transaction"/>; another provider's is a programming error.</summary>
    public static SqliteCatalogTransaction Of(ICatalogTransaction transaction) =>
        transaction as SqliteCatalogTransaction
        ?? throw new ArgumentException("The transaction was not begun by this SQLite catalog.", nameof(transaction));

    public void Deconstruct(out SqliteConnection connection, out SqliteTransaction transaction)
    {
        connection = Connection;
        transaction = Transaction;
    }

    public void Commit() => Transaction.Commit();

    public void Rollback() => Transaction.Rollback();

    public void Dispose()
    {
        Transaction.Dispose();
        Connection.Dispose();
    }
}

/// <summary>
/// The connection a catalog method runs on: the caller's transaction when it passed one, else a connection of its
/// own, closed when the scope ends.
/// </summary>
internal readonly struct SqliteScope(SqliteConnection connection, SqliteTransaction? transaction, bool ownsConnection) : IDisposable
{
    public SqliteConnection Connection { get; } = connection;

    public SqliteTransaction? Transaction { get; } = transaction;

    public void Dispose()
    {
        if (ownsConnection)
        {
            Connection.Dispose();
        }
    }
}
