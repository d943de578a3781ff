using Microsoft.Extensions.Options;

namespace Rekognition.Core.Tests.Management;

/// <summary>Options set after construction: lets a runtime built before a <c>TestStore</c> read that store's options.</summary>
internal sealed class OptionsHolder : IOptions<RekognitionOptions>
{
    public RekognitionOptions Value { get; set; } = null!;
}
