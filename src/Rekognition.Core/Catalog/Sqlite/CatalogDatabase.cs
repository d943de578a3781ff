using Microsoft.Data.Sqlite;

namespace Rekognition.Core.Catalog.Sqlite;

/// <summary>
/// The embedded catalog: one SQLite file under the store root, in WAL mode so readers never wait for
/// an import. Every multi-row change runs in one transaction, so a crash leaves either all of it or none.
/// </summary>
internal sealed class CatalogDatabase
{
    private const int SchemaVersion = 9;

    private readonly string _connectionString;

    public CatalogDatabase(string storeRoot)
    {
        Directory.CreateDirectory(storeRoot);
        StoreRoot = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(storeRoot));
        Path = System.IO.Path.Combine(storeRoot, "catalog.db");
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
        using var connection = Open();
        Migrate(connection, StoreRoot);
    }

    /// <summary>The store root the catalog belongs to (its artifact keys are beneath it).</summary>
    public string StoreRoot { get; }

    /// <summary>The catalog file.</summary>
    public string Path { get; }

    /// <summary>The connection for <paramref name="transaction"/>, or a new one when it is null.</summary>
    public SqliteScope Use(ICatalogTransaction? transaction)
    {
        if (transaction is null)
        {
            return new SqliteScope(Open(), null, ownsConnection: true);
        }

        var sqlite = SqliteCatalogTransaction.Of(transaction);
        return new SqliteScope(sqlite.Connection, sqlite.Transaction, ownsConnection: false);
    }

    /// <summary>A transaction on a connection of its own (the bulk-write one when <paramref name="bulkWrites"/>).</summary>
    public SqliteCatalogTransaction BeginTransaction(bool bulkWrites = false) => new(bulkWrites ? OpenForBulkWrites() : Open());

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=60000; PRAGMA cache_size=-2000;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    /// <summary>
    /// A connection for bulk writes (imports): a 64 MB page cache instead of SQLite's 2 MB, because an import
    /// updates five indexes over a quarter-million rows and with the small cache most index pages are evicted
    /// between rows. Pooled connections keep their settings, so <see cref="Open"/> sets the small cache back.
    /// </summary>
    public SqliteConnection OpenForBulkWrites()
    {
        var connection = Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA cache_size=-65536;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    private static void Migrate(SqliteConnection connection, string storeRoot)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
        command.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (version >= SchemaVersion)
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        command.Transaction = transaction;
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS projects (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                arn TEXT NOT NULL UNIQUE,
                created_ms INTEGER NOT NULL,
                status TEXT NOT NULL,
                feature TEXT NOT NULL,
                auto_update TEXT NULL
            );
            CREATE TABLE IF NOT EXISTS datasets (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL REFERENCES projects(id),
                type TEXT NOT NULL,
                arn TEXT NOT NULL UNIQUE,
                created_ms INTEGER NOT NULL,
                updated_ms INTEGER NOT NULL,
                status TEXT NOT NULL,
                status_message TEXT NULL,
                status_message_code TEXT NULL,
                operation_owner TEXT NULL,
                UNIQUE (project_id, type)
            );
            CREATE TABLE IF NOT EXISTS entries (
                id INTEGER PRIMARY KEY,
                dataset_id INTEGER NOT NULL REFERENCES datasets(id),
                source_ref TEXT NOT NULL,
                line BLOB NOT NULL,
                is_labeled INTEGER NOT NULL,
                has_errors INTEGER NOT NULL,
                UNIQUE (dataset_id, source_ref)
            );
            -- Version 2: entries of a dataset in id order carry their source-ref, so pages read in order and
            -- SourceRefContains is checked in the index without reading the rows' long lines.
            DROP INDEX IF EXISTS entries_by_dataset;
            CREATE INDEX IF NOT EXISTS entries_in_order ON entries (dataset_id, id, source_ref);
            CREATE INDEX IF NOT EXISTS entries_by_labeled ON entries (dataset_id, is_labeled);
            CREATE INDEX IF NOT EXISTS entries_by_errors ON entries (dataset_id, has_errors);
            CREATE TABLE IF NOT EXISTS entry_labels (
                dataset_id INTEGER NOT NULL,
                label TEXT NOT NULL,
                entry_id INTEGER NOT NULL,
                on_box INTEGER NOT NULL,
                PRIMARY KEY (dataset_id, label, entry_id)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS entry_labels_by_entry ON entry_labels (entry_id);
            CREATE TABLE IF NOT EXISTS dataset_labels (
                dataset_id INTEGER NOT NULL,
                label TEXT NOT NULL,
                PRIMARY KEY (dataset_id, label)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS tags (
                resource_arn TEXT NOT NULL,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (resource_arn, key)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS project_versions (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL REFERENCES projects(id),
                name TEXT NOT NULL,
                arn TEXT NOT NULL UNIQUE,
                created_ms INTEGER NOT NULL,
                status TEXT NOT NULL,
                status_message TEXT NULL,
                min_units INTEGER NULL,
                max_units INTEGER NULL,
                artifact_dir TEXT NULL,
                details TEXT NULL,
                host_owner TEXT NULL,
                UNIQUE (project_id, name)
            );
            CREATE TABLE IF NOT EXISTS project_policies (
                project_id INTEGER NOT NULL REFERENCES projects(id),
                name TEXT NOT NULL,
                revision_id TEXT NOT NULL,
                document TEXT NOT NULL,
                created_ms INTEGER NOT NULL,
                updated_ms INTEGER NOT NULL,
                PRIMARY KEY (project_id, name)
            );
            """;
        command.ExecuteNonQuery();
        if (version < 3)
        {
            ArtifactPathsToKeys(connection, transaction, storeRoot);
        }

        if (version < 4)
        {
            JobsAndLeases(connection, transaction);
        }

        if (version < 5)
        {
            EntryRevisions(connection, transaction);
        }

        if (version < 6)
        {
            BillingStore.CreateSchema(connection, transaction);
            RetrainingStore.CreateSchema(connection, transaction);
        }

        if (version < 7)
        {
            // Schema 7: a request to stop a job (CancelTraining), seen by the host holding it at its lease renewal.
            AddColumnIfMissing(connection, transaction, "jobs", "cancel_requested", "INTEGER NOT NULL DEFAULT 0");
        }

        if (version < 8)
        {
            // Schema 8: SourceRefContains through a trigram index; job ids never reused.
            SourceRefIndex.CreateSchema(connection, transaction);
            JobStore.NeverReuseIds(connection, transaction);
        }

        if (version < 9)
        {
            // Schema 9: a promotion asks the other serving hosts to report when the old version has no alias request left
            // (serving_hosts.drain: 0 none, 1 asked, 2 reported).
            AddColumnIfMissing(connection, transaction, "serving_hosts", "drain", "INTEGER NOT NULL DEFAULT 0");
        }

        command.CommandText = $"PRAGMA user_version = {SchemaVersion};";
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>
    /// Schema 4: long operations become durable jobs under leases (<see cref="JobStore"/>), serving hosts register the
    /// versions they load (<see cref="ServingStore"/>), and the process ids that judged work alive leave the catalog.
    /// Work a schema-3 process left in progress has no job: start-up recovery marks it failed.
    /// </summary>
    private static void JobsAndLeases(SqliteConnection connection, SqliteTransaction transaction)
    {
        JobStore.CreateSchema(connection, transaction);
        ServingStore.CreateSchema(connection, transaction);
        DropColumnIfPresent(connection, transaction, "datasets", "operation_owner");
        DropColumnIfPresent(connection, transaction, "project_versions", "host_owner");
    }

    // Catalogs made by hand or by older builds may lack the column: only drop what is there (names are constants).
    private static void DropColumnIfPresent(SqliteConnection connection, SqliteTransaction transaction, string table, string column)
    {
        using var present = connection.Command($"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = $c", transaction).With("$c", column);
        if (present.Scalar() == 0)
        {
            return;
        }

        using var drop = connection.Command($"ALTER TABLE {table} DROP COLUMN {column}", transaction);
        drop.ExecuteNonQuery();
    }

    /// <summary>
    /// Schema 5: every entry carries a revision, 1 when written and one more at each replacement, so an editor that
    /// read revision n can refuse to save over a newer one (the console's stale-save check).
    /// </summary>
    private static void EntryRevisions(SqliteConnection connection, SqliteTransaction transaction) =>
        AddColumnIfMissing(connection, transaction, "entries", "revision", "INTEGER NOT NULL DEFAULT 1");

    // A catalog whose user_version was set back (tests of older schemas do) may have the column already (names are constants).
    private static void AddColumnIfMissing(SqliteConnection connection, SqliteTransaction transaction, string table, string column, string definition)
    {
        using (var exists = connection.Command($"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = $c", transaction).With("$c", column))
        {
            if (exists.Scalar() > 0)
            {
                return;
            }
        }

        using var command = connection.Command($"ALTER TABLE {table} ADD COLUMN {column} {definition}", transaction);
        command.ExecuteNonQuery();
    }

    /// <summary>Schema 3: the rows' absolute package paths become object keys (see <see cref="ArtifactKeys"/>).</summary>
    private static void ArtifactPathsToKeys(SqliteConnection connection, SqliteTransaction transaction, string storeRoot)
    {
        var rows = new List<(long Id, string Stored)>();
        using (var select = connection.Command("SELECT id, artifact_dir FROM project_versions WHERE artifact_dir IS NOT NULL", transaction))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }

        using var update = connection.Command("UPDATE project_versions SET artifact_dir = $key WHERE id = $id", transaction);
        var key = update.Parameters.Add("$key", SqliteType.Text);
        var id = update.Parameters.Add("$id", SqliteType.Integer);
        foreach (var row in rows)
        {
            var converted = ArtifactKeys.FromStored(row.Stored, storeRoot);
            if (converted != row.Stored)
            {
                key.Value = converted;
                id.Value = row.Id;
                update.ExecuteNonQuery();
            }
        }
    }
}
