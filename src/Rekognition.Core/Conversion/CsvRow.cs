namespace Rekognition.Core.Conversion;

/// <summary>One row of a classification CSV: the image in the first field, its labels after it.</summary>
/// <param name="RowNumber">The 1-based line of the file where the row starts.</param>
/// <param name="Fields">The fields as read, trimmed, empty ones kept.</param>
public sealed record CsvRow(int RowNumber, IReadOnlyList<string> Fields)
{
    /// <summary>The image file name or path (first field).</summary>
    public string Image => Fields.Count > 0 ? Fields[0] : string.Empty;
}
