namespace Rekognition.Core.Catalog;

/// <summary>
/// The catalog behind the store, the contract a catalog provider implements (SQLite embedded in Rekognition.Core,
/// PostgreSQL in Rekognition.PostgreSql): projects, datasets and their entries, model versions, tags, policies,
/// aliases and feedback, each area behind its own interface. Callers never see a provider's connections or SQL.
/// </summary>
/// <remarks>
/// What every provider guarantees:
/// <list type="bullet">
/// <item>The schema is migrated to the provider's current version when the catalog is made, by one process at a time
/// when several share the catalog; a catalog that cannot be reached or opened fails then, with a message that names no
/// password.</item>
/// <item>Every method is all-or-nothing: a method that writes several rows does so in one transaction (its own, or the
/// caller's <see cref="ICatalogTransaction"/>), so a crash, a lost connection or an exception leaves all of it or none.</item>
/// <item>Every check-and-change documented as such (TryInsert, TryBeginOperation, TryTransition, ...) is atomic across
/// every process sharing the catalog: two callers never both win.</item>
/// <item>A failure of the database itself (lost connection, server restart, disk full) surfaces as an exception for which
/// <see cref="IsProviderFailure"/> is true, or as <see cref="Model.InternalServerErrorException"/>; never as a
/// half-written state.</item>
/// <item>Members are safe to call from several threads at once; a transaction is used by one thread at a time.</item>
/// </list>
/// </remarks>
public interface ICatalog
{
    /// <summary>Projects.</summary>
    IProjectCatalog Projects { get; }

    /// <summary>Datasets and the status of the operation last run on each.</summary>
    IDatasetCatalog Datasets { get; }

    /// <summary>Dataset entries (manifest lines) and their labels.</summary>
    IEntryCatalog Entries { get; }

    /// <summary>Tags of projects, datasets and versions.</summary>
    ITagCatalog Tags { get; }

    /// <summary>Project policies.</summary>
    IPolicyCatalog Policies { get; }

    /// <summary>Model versions and their lifecycle.</summary>
    IVersionCatalog Versions { get; }

    /// <summary>Model aliases.</summary>
    IModelAliasCatalog Aliases { get; }

    /// <summary>Feedback recording.</summary>
    IFeedbackCatalog Feedback { get; }

    /// <summary>Durable jobs with their leases (schema 4).</summary>
    IJobCatalog Jobs { get; }

    /// <summary>Which hosts serve which running versions (schema 4).</summary>
    IServingCatalog Serving { get; }

    /// <summary>The intervals each version ran and on how many inference units, what the service bills (schema 6).</summary>
    IBillingCatalog Billing { get; }

    /// <summary>The retraining loop's policies and promotion history (schema 6).</summary>
    IRetrainingCatalog Retraining { get; }

    /// <summary>
    /// Starts a transaction: pass it to the areas' methods that take one; nothing is kept unless it is committed.
    /// <paramref name="bulkWrites"/>: tuned for many rows (an import through <see cref="IEntryCatalog.OpenWriter"/>).
    /// </summary>
    ICatalogTransaction BeginTransaction(bool bulkWrites = false);

    /// <summary>Whether <paramref name="exception"/> is the provider's own failure (a constraint, a lost or busy database).</summary>
    bool IsProviderFailure(Exception exception);
}
