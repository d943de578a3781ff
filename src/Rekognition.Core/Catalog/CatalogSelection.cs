using Rekognition.Core.Catalog.Sqlite;

namespace Rekognition.Core.Catalog;

/// <summary>Opens the catalog <c>Rekognition:Catalog:Provider</c> names: SQLite here, any other from the provider its package registered.</summary>
internal static class CatalogSelection
{
    public static ICatalog Open(RekognitionOptions options, IEnumerable<ICatalogProvider> registered)
    {
        var provider = options.Catalog.Provider;
        if (provider == CatalogProvider.Sqlite)
        {
            return new SqliteCatalog(options.StoreRoot, options.Host.PollInterval); // migrated when made; aliases followed as often as the host polls
        }

        var match = registered.LastOrDefault(p => p.Provider == provider)
                    ?? throw new InvalidOperationException(
                        $"Rekognition:Catalog:Provider is {provider}, but no {provider} catalog is registered: {HowToRegister(provider)}.");
        return match.Open(options);
    }

    private static string HowToRegister(CatalogProvider provider) => provider switch
    {
        CatalogProvider.PostgreSQL => "add the Rekognition.PostgreSql package and call services.AddRekognitionPostgreSql()",
        _ => $"register the package that provides the {provider} catalog",
    };
}
