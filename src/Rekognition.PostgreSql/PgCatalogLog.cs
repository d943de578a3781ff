using Microsoft.Extensions.Logging;

namespace Rekognition.PostgreSql;

/// <summary>What the PostgreSQL catalog logs.</summary>
internal static partial class PgCatalogLog
{
    [LoggerMessage(EventId = 1601, Level = LogLevel.Warning,
        Message = "The PostgreSQL catalog at {Where} has no trigram index: the pg_trgm extension could not be created, so SourceRefContains reads every entry of a dataset. Install PostgreSQL's contrib package and let the catalog's user create extensions (or create pg_trgm once as a superuser); the index is made at the next start.")]
    public static partial void NoSourceRefTrigrams(ILogger logger, string where);
}
