namespace Rekognition.Core.Catalog;

/// <summary>
/// Writes an import's entries inside one transaction; an entry with a <c>source-ref</c> already in the dataset is replaced
/// (with its labels). A provider may buffer or stream the rows (a bulk copy) as long as everything written is in the
/// transaction once <see cref="Complete"/> returns, and nothing of it is kept when the transaction is not committed.
/// </summary>
public interface IEntryWriter : IDisposable
{
    /// <summary>
    /// Writes (or replaces) an entry and returns the id <see cref="WriteLabel"/> takes for it: its row id, or a number the
    /// writer knows it by when the provider sends the rows at <see cref="Complete"/>. <paramref name="line"/> is valid only
    /// during the call (an import passes a view of its read buffer): a writer that keeps it copies it.
    /// </summary>
    long WriteEntry(string sourceRef, ReadOnlyMemory<byte> line, bool isLabeled, bool hasErrors);

    /// <summary>Records that entry <paramref name="entryId"/> (from <see cref="WriteEntry"/>) carries <paramref name="label"/>, on a bounding box or not.</summary>
    void WriteLabel(long entryId, string label, bool onBoundingBox);

    /// <summary>Records the labels written into the dataset's label set.</summary>
    void Complete();
}
