using Microsoft.Extensions.Logging;

namespace Rekognition.PostgreSql;

/// <summary>What the PostgreSQL catalog logs.</summary>
internal static partial class PgCatalogLog
{
    [LoggerMessage(EventId = 1601, Level = LogLevel.Warning,
        Message = "The PostgreSQL catalog at {Where} has no trigram index: the pg_trgm extension could not be created, so SourceRefContains reads every entry of a dataset. Install PostgreSQL's contrib package and let the catalog's user create extensions (or create pg_trgm once as a superuser); the index is made at the next start.")]
    public static partial void NoSourceRefTrigrams(ILogger logger, string where);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning,
        Message = "This host stopped hearing the PostgreSQL catalog's change notifications at {Where}; it polls meanwhile and listens again as soon as it can connect")]
    public static partial void ListenerLost(ILogger logger, Exception error, string where);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Information,
        Message = "This host hears the PostgreSQL catalog's change notifications at {Where} again, after {Failures} failed attempts")]
    public static partial void ListeningAgain(ILogger logger, string where, int failures);
}
