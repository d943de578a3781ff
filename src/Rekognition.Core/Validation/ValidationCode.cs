namespace Rekognition.Core.Validation;

/// <summary>One entry of the code catalogue.</summary>
/// <param name="Code">The code, e.g. <c>ERROR_INVALID_BOUNDING_BOX</c>.</param>
/// <param name="Message">The service's message (for <c>{}</c> placeholders see <see cref="ValidationCodes.Format"/>).</param>
/// <param name="Category">When it is raised.</param>
internal sealed record ValidationCode(string Code, string Message, ValidationCodeCategory Category)
{
    /// <summary>Whether this is a warning rather than an error.</summary>
    public bool IsWarning => Category == ValidationCodeCategory.Warning;
}
