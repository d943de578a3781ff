namespace Rekognition.Core.Catalog;

/// <summary>
/// A catalog transaction from <see cref="ICatalog.BeginTransaction"/>. Methods that take one run inside it; those
/// given <see langword="null"/> run on their own. Disposing without <see cref="Commit"/> keeps nothing.
/// </summary>
internal interface ICatalogTransaction : IDisposable
{
    void Commit();

    void Rollback();
}
