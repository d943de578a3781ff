namespace Rekognition.Core.Catalog;

/// <summary>Writes an import's entries inside one transaction; an entry with a <c>source-ref</c> already in the dataset is replaced.</summary>
internal interface IEntryWriter : IDisposable
{
    /// <summary>Writes (or replaces) an entry and returns its row id.</summary>
    long WriteEntry(string sourceRef, ReadOnlyMemory<byte> line, bool isLabeled, bool hasErrors);

    void WriteLabel(long entryId, string label, bool onBoundingBox);

    /// <summary>Records the labels written into the dataset's label set.</summary>
    void Complete();
}
