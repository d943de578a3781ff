using Microsoft.Extensions.DependencyInjection.Extensions;
using Rekognition.Core.Catalog;
using Rekognition.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL catalog with a host's dependency injection.</summary>
public static class RekognitionPostgreSqlServiceCollectionExtensions
{
    /// <summary>
    /// Makes the PostgreSQL catalog available: it is used when <c>Rekognition:Catalog:Provider</c> is <c>PostgreSQL</c>
    /// (<c>Rekognition__Catalog__Provider=PostgreSQL</c>), on the database <c>Rekognition:Catalog:ConnectionString</c>
    /// names (Npgsql syntax), migrated when the store starts. Call it beside <c>AddRekognitionCustomLabels</c>, in any order.
    /// </summary>
    public static IServiceCollection AddRekognitionPostgreSql(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICatalogProvider, PostgreSqlCatalogProvider>());
        return services;
    }
}
