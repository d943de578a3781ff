using Microsoft.Extensions.Logging;
using Rekognition.Core;
using Rekognition.Core.Catalog;

namespace Rekognition.PostgreSql;

/// <summary>Opens the PostgreSQL catalog when <c>Rekognition:Catalog:Provider</c> is <see cref="CatalogProvider.PostgreSQL"/>.</summary>
internal sealed class PostgreSqlCatalogProvider(ILogger<PostgreSqlCatalogProvider>? logger = null) : ICatalogProvider
{
    public CatalogProvider Provider => CatalogProvider.PostgreSQL;

    public ICatalog Open(RekognitionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return PostgreSqlCatalog.Open(
            options.Catalog.ConnectionString
            ?? throw new InvalidOperationException("Rekognition:Catalog:ConnectionString must be set when Rekognition:Catalog:Provider is PostgreSQL."),
            logger,
            options.Host.PollInterval); // aliases are followed as often as the host polls the rest
    }
}
