namespace Rekognition.Core.Validation;

/// <summary>Which kinds of valid label attributes a line has.</summary>
internal enum LineUseCase
{
    /// <summary>No valid label.</summary>
    None,

    /// <summary>Only image-level labels.</summary>
    ImageLevel,

    /// <summary>Only bounding boxes.</summary>
    ObjectLocalization,

    /// <summary>Image-level labels and bounding boxes.</summary>
    Both,
}
