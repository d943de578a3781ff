namespace Rekognition.Core.Catalog;

/// <summary>
/// A catalog transaction from <see cref="ICatalog.BeginTransaction"/>. Methods that take one run inside it; those
/// given <see langword="null"/> run on their own. Disposing without <see cref="Commit"/> keeps nothing.
/// </summary>
public interface ICatalogTransaction : IDisposable
{
    /// <summary>Keeps every change made inside the transaction.</summary>
    void Commit();

    /// <summary>Drops every change made inside the transaction.</summary>
    void Rollback();
}
