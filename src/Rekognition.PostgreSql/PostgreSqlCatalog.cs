using Microsoft.Extensions.Logging;
using Npgsql;
using Rekognition.Core;
using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.PostgreSql.Catalog;
using Rekognition.PostgreSql.Connections;
using Rekognition.PostgreSql.Migrations;

namespace Rekognition.PostgreSql;

/// <summary>
/// The catalog on PostgreSQL: one database (or one schema of it, through the connection string's Search Path) shared by
/// every host, migrated when this is made (<see cref="PgMigrator"/>), with the areas' stores over a pooled data source, and a change feed (<see cref="PgChangeFeed"/>) that wakes a host's loops.
/// </summary>
internal sealed class PostgreSqlCatalog : ICatalog, ICatalogChangeFeed, IDisposable
{
    private readonly PgDatabase _database;
    private readonly Lazy<IModelAliasCatalog> _aliases;
    private readonly PgChangeFeed _changes;

    private PostgreSqlCatalog(PgDatabase database, PgChangeFeed changes, TimeSpan aliasesMaxAge)
    {
        _database = database;
        _changes = changes;
        Projects = new PgProjectStore(database);
        Datasets = new PgDatasetStore(database);
        Entries = new PgEntryQueries(database);
        Tags = new PgTagStore(database);
        Policies = new PgPolicyStore(database);
        Versions = new PgVersionStore(database);
        Feedback = new PgFeedbackStore(database);
        Jobs = new PgJobStore(database);
        Serving = new PgServingStore(database);
        Billing = new PgBillingStore(database);
        Retraining = new PgRetrainingStore(database);
        _aliases = new Lazy<IModelAliasCatalog>(() => new PgModelAliasStore(database, aliasesMaxAge));
    }

    public IProjectCatalog Projects { get; }

    public IDatasetCatalog Datasets { get; }

    public IEntryCatalog Entries { get; }

    public ITagCatalog Tags { get; }

    public IPolicyCatalog Policies { get; }

    public IVersionCatalog Versions { get; }

    public IModelAliasCatalog Aliases => _aliases.Value;

    public IFeedbackCatalog Feedback { get; }

    public IJobCatalog Jobs { get; }

    public IServingCatalog Serving { get; }

    public IBillingCatalog Billing { get; }

    public IRetrainingCatalog Retraining { get; }

    /// <summary>
    /// Opens the catalog <paramref name="connectionString"/> names and migrates it. The failures a deployment can cause (a
    /// malformed string, an unreachable server, a refused login, a missing database or extension) say so, naming the
    /// server and database but never the password.
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="logger">Where the catalog's warnings go.</param>
    /// <param name="aliasesMaxAge">How long model aliases read from the catalog are trusted before a request reads them
    /// again (the host's poll interval); default <see cref="ModelAliasMirror.MaxAge"/>.</param>
    /// <exception cref="InvalidOperationException">The catalog cannot be opened.</exception>
    public static PostgreSqlCatalog Open(string connectionString, ILogger? logger = null, TimeSpan? aliasesMaxAge = null)
    {
        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            throw new InvalidOperationException(
                $"Rekognition:Catalog:ConnectionString is not an Npgsql connection string ({Describe(ex)}). Write it as Host=...;Port=...;Database=...;Username=...;Password=...", ex);
        }

        var where = $"{settings.Host}:{settings.Port}/{settings.Database ?? settings.Username}";
        var source = new NpgsqlDataSourceBuilder(settings.ConnectionString).Build();
        try
        {
            if (!PgMigrator.Migrate(source, settings.SearchPath) && logger is not null)
            {
                PgCatalogLog.NoSourceRefTrigrams(logger, where);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or InvalidOperationException)
        {
            source.Dispose();
            throw new InvalidOperationException(
                $"The PostgreSQL catalog at {where} could not be opened: {Describe(ex)}. Check Rekognition:Catalog:ConnectionString and that the server is running and accepts this user.", ex);
        }

        return new PostgreSqlCatalog(new PgDatabase(source), new PgChangeFeed(settings, where, logger), aliasesMaxAge ?? ModelAliasMirror.MaxAge);
    }

    public Task ListenAsync(Action<CatalogChange> changed, CancellationToken cancellationToken) => _changes.ListenAsync(changed, cancellationToken);

    public ICatalogTransaction BeginTransaction(bool bulkWrites = false) => _database.BeginTransaction();

    public bool IsProviderFailure(Exception exception) =>
        PgDatabase.IsDatabaseFailure(exception) || exception is InternalServerErrorException { InnerException: { } inner } && PgDatabase.IsDatabaseFailure(inner);

    public void Dispose() => _database.Dispose();

    // Npgsql's messages name the server and the user, never the password; the innermost socket error says why a connection failed.
    private static string Describe(Exception exception)
    {
        var message = exception.Message.TrimEnd('.');
        return exception.InnerException is { } inner && inner is not NpgsqlException && !string.IsNullOrEmpty(inner.Message)
            ? $"{message}: {inner.Message.TrimEnd('.')}"
            : message;
    }
}
