namespace Rekognition.Core.Catalog;

/// <summary>Tags of any resource, keyed by its ARN.</summary>
internal interface ITagCatalog
{
    Dictionary<string, string> List(string resourceArn);

    /// <summary>Adds or overwrites tags; false (nothing written) when the total would exceed <paramref name="maxTags"/>.</summary>
    bool TryPut(string resourceArn, IReadOnlyDictionary<string, string> tags, int maxTags, ICatalogTransaction? transaction = null);

    void Remove(string resourceArn, IEnumerable<string> keys);
}
