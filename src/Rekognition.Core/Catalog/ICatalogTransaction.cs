namespace Rekognition.Core.Catalog;

/// <summary>
/// A catalog transaction from <see cref="ICatalog.BeginTransaction"/>. Methods that take one run inside it; those
/// given <see langword="null"/> run in a transaction of their own. Disposing without <see cref="Commit"/> keeps
/// nothing, and so does a connection lost before the commit.
/// </summary>
public interface ICatalogTransaction : IDisposable
{
    /// <summary>Keeps every change made in the transaction, all at once.</summary>
    void Commit();

    /// <summary>Drops every change made in the transaction.</summary>
    void Rollback();
}
