namespace Rekognition.Core.Catalog;

/// <summary>Tags of any resource, keyed by its ARN.</summary>
public interface ITagCatalog
{
    /// <summary>The resource's tags (none: an empty dictionary).</summary>
    Dictionary<string, string> List(string resourceArn);

    /// <summary>Adds or overwrites tags; false (nothing written) when the total would exceed <paramref name="maxTags"/>. The count and the writes are one check-and-change.</summary>
    bool TryPut(string resourceArn, IReadOnlyDictionary<string, string> tags, int maxTags, ICatalogTransaction? transaction = null);

    /// <summary>Removes the tags with those keys, in one transaction; keys not there are ignored.</summary>
    void Remove(string resourceArn, IEnumerable<string> keys);
}
