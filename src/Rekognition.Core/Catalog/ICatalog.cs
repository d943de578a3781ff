namespace Rekognition.Core.Catalog;

/// <summary>
/// The catalog behind the store: one object per provider (SQLite now, <c>Catalog/Sqlite</c>), giving each area's
/// catalog and the transactions that keep several writes all-or-nothing. Callers never see the provider's
/// connections or SQL, so another provider is another folder beside <c>Sqlite</c> and one DI registration.
/// </summary>
internal interface ICatalog
{
    IProjectCatalog Projects { get; }

    IDatasetCatalog Datasets { get; }

    IEntryCatalog Entries { get; }

    ITagCatalog Tags { get; }

    IPolicyCatalog Policies { get; }

    IVersionCatalog Versions { get; }

    /// <summary>Model aliases (their table is made on first use).</summary>
    IModelAliasCatalog Aliases { get; }

    /// <summary>Feedback recording (its tables are made on first use).</summary>
    IFeedbackCatalog Feedback { get; }

    /// <summary>Durable jobs with their leases (schema 4).</summary>
    IJobCatalog Jobs { get; }

    /// <summary>Which hosts serve which running versions (schema 4).</summary>
    IServingCatalog Serving { get; }

    /// <summary>
    /// Starts a transaction: pass it to the areas' methods that take one; nothing is kept unless it is committed.
    /// <paramref name="bulkWrites"/>: tuned for many rows (an import).
    /// </summary>
    ICatalogTransaction BeginTransaction(bool bulkWrites = false);

    /// <summary>Whether <paramref name="exception"/> is the provider's own failure (a constraint, a lost or busy database).</summary>
    bool IsProviderFailure(Exception exception);
}
