namespace Rekognition.Core.Validation;

/// <summary>
/// A terminal error about a manifest as a whole: the operation fails and no line is kept.
/// <see cref="Code"/> is the service's code, or a local one from <see cref="ValidationCodes"/> where the
/// service gives only a message (<see cref="ValidationCodes.ManifestEmpty"/> for "The manifest file is empty.").
/// </summary>
/// <param name="Code">The code.</param>
/// <param name="Message">The message, with details that say what to fix.</param>
internal sealed record ManifestFileError(string Code, string Message)
{
    /// <summary>Whether <see cref="Code"/> is one of the service's codes (not a local one).</summary>
    public bool IsServiceCode => ValidationCodes.Get(Code).Category != ValidationCodeCategory.Local;

    /// <summary>The error for <paramref name="code"/> with its catalogue message and an optional detail.</summary>
    public static ManifestFileError Of(string code, string? detail = null) => new(code, ValidationCodes.MessageWithDetail(code, detail));
}
