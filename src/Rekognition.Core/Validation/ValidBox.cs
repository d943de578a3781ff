using Rekognition.Core.Manifests;

namespace Rekognition.Core.Validation;

/// <summary>A box that passed the box checks of its line (class-map id, inside the frame, large enough, label limit).</summary>
/// <param name="Label">The box's label, from the attribute's <c>class-map</c>.</param>
/// <param name="Box">The box as written in the manifest, in pixels from the image's top-left corner.</param>
/// <param name="ImageSize">The attribute's <c>image_size</c>, which the box's pixels refer to.</param>
internal readonly record struct ValidBox(string Label, BoundingBoxAnnotation Box, ImageSize ImageSize);
