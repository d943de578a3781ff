using Microsoft.Data.Sqlite;

namespace Rekognition.Core.Catalog.Sqlite;

/// <summary>
/// The embedded catalog provider: one SQLite file beneath the store root (<see cref="CatalogDatabase"/>), migrated
/// when this is made, and the areas' stores over it.
/// </summary>
internal sealed class SqliteCatalog : ICatalog
{
    private readonly CatalogDatabase _database;
    private readonly Lazy<IModelAliasCatalog> _aliases;
    private readonly Lazy<IFeedbackCatalog> _feedback;

    /// <summary>
    /// The catalog beneath <paramref name="storeRoot"/>; model aliases read from it are trusted for
    /// <paramref name="aliasesMaxAge"/> (the host's poll interval; default <see cref="ModelAliasMirror.MaxAge"/>), then read again.
    /// </summary>
    public SqliteCatalog(string storeRoot, TimeSpan? aliasesMaxAge = null)
    {
        var aliasesAge = aliasesMaxAge ?? ModelAliasMirror.MaxAge;
        _database = new CatalogDatabase(storeRoot);
        Projects = new ProjectStore(_database);
        Datasets = new DatasetStore(_database);
        Entries = new EntryQueries(_database);
        Tags = new TagStore(_database);
        Policies = new PolicyStore(_database);
        Versions = new VersionStore(_database);
        Jobs = new JobStore(_database);
        Serving = new ServingStore(_database);
        Billing = new BillingStore(_database);
        Retraining = new RetrainingStore(_database);
        // Their tables are made on first use, as before the catalog had one entry point.
        _aliases = new Lazy<IModelAliasCatalog>(() => new ModelAliasStore(_database, aliasesAge));
        _feedback = new Lazy<IFeedbackCatalog>(() => new FeedbackStore(_database));
    }

    public IProjectCatalog Projects { get; }

    public IDatasetCatalog Datasets { get; }

    public IEntryCatalog Entries { get; }

    public ITagCatalog Tags { get; }

    public IPolicyCatalog Policies { get; }

    public IVersionCatalog Versions { get; }

    public IJobCatalog Jobs { get; }

    public IServingCatalog Serving { get; }

    public IBillingCatalog Billing { get; }

    public IRetrainingCatalog Retraining { get; }

    public IModelAliasCatalog Aliases => _aliases.Value;

    public IFeedbackCatalog Feedback => _feedback.Value;

    public ICatalogTransaction BeginTransaction(bool bulkWrites = false) => _database.BeginTransaction(bulkWrites);

    public bool IsProviderFailure(Exception exception) => exception is SqliteException;
}
