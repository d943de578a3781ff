using Rekognition.Core.Model;

namespace Rekognition.Core;

public sealed partial class RekognitionCustomLabelsClient
{
    /// <inheritdoc />
    public IRekognitionPaginatorFactory Paginators => field ??= new RekognitionPaginatorFactory(this);
}
