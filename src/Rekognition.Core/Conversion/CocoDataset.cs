using System.Globalization;
using System.Text.Json;
using Rekognition.Core.Model;

namespace Rekognition.Core.Conversion;

/// <summary>One COCO image with the fields a manifest line needs.</summary>
internal sealed record CocoImage(long Id, int Width, int Height, string FileName, string? DateCaptured, string? CocoUrl);

/// <summary>One COCO annotation: its image, category, box, crowd flag and <c>area</c> (null when absent).</summary>
internal readonly record struct CocoAnnotation(long ImageId, int CategoryId, double X, double Y, double Width, double Height, bool IsCrowd, double? Area);

/// <summary>
/// The parts of a COCO instances file that a manifest needs, checked as they are read; every error names
/// the file and the element (<c>images[3]</c>, <c>annotations[17] (id 42)</c>) and says what is wrong.
/// The big per-annotation field <c>segmentation</c> is never copied out of the document; its <c>area</c> is, for the
/// COCO-exact metrics' area ranges.
/// </summary>
internal sealed class CocoDataset
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip };

    private CocoDataset(List<CocoImage> images, List<CocoAnnotation> annotations, Dictionary<int, string> categories, bool hasAnnotations)
    {
        Images = images;
        Annotations = annotations;
        Categories = categories;
        HasAnnotationsSection = hasAnnotations;
    }

    public List<CocoImage> Images { get; }

    public List<CocoAnnotation> Annotations { get; }

    public Dictionary<int, string> Categories { get; }

    public bool HasAnnotationsSection { get; }

    public static CocoDataset Parse(Stream stream, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidParameterException($"{source} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidParameterException($"{source} is not a COCO file: its top level must be an object with 'images', 'annotations' and 'categories'.");
            }

            var categories = ReadCategories(RequiredArray(root, "categories", source), source);
            var (images, imageIds) = ReadImages(RequiredArray(root, "images", source), source);
            var hasAnnotations = root.TryGetProperty("annotations", out var annotationsElement);
            if (hasAnnotations && annotationsElement.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidParameterException($"{source}: 'annotations' must be an array.");
            }

            var annotations = hasAnnotations
                ? ReadAnnotations(annotationsElement, imageIds, categories, source)
                : new List<CocoAnnotation>();
            return new CocoDataset(images, annotations, categories, hasAnnotations);
        }
    }

    private static JsonElement RequiredArray(JsonElement root, string name, string source)
    {
        if (!root.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidParameterException($"{source} is not a COCO file: it needs a '{name}' array.");
        }

        return element;
    }

    private static Dictionary<int, string> ReadCategories(JsonElement array, string source)
    {
        var categories = new Dictionary<int, string>();
        var index = 0;
        foreach (var category in array.EnumerateArray())
        {
            var where = $"{source}: categories[{index}]";
            var id = RequiredInt32(category, "id", where);
            var name = RequiredString(category, "name", where);
            if (!categories.TryAdd(id, name))
            {
                throw new InvalidParameterException($"{where} repeats category id {id}; category ids must be unique.");
            }

            index++;
        }

        return categories;
    }

    private static (List<CocoImage> Images, HashSet<long> Ids) ReadImages(JsonElement array, string source)
    {
        var images = new List<CocoImage>(array.GetArrayLength());
        var ids = new HashSet<long>();
        var index = 0;
        foreach (var image in array.EnumerateArray())
        {
            var where = $"{source}: images[{index}]";
            var id = RequiredInt64(image, "id", where);
            where += $" (id {id})";
            var width = RequiredInt32(image, "width", where);
            var height = RequiredInt32(image, "height", where);
            if (width <= 0 || height <= 0)
            {
                throw new InvalidParameterException($"{where} has width {width} and height {height}; both must be positive.");
            }

            var fileName = RequiredString(image, "file_name", where);
            var date = OptionalString(image, "date_captured", where);
            var cocoUrl = OptionalString(image, "coco_url", where);
            if (!ids.Add(id))
            {
                throw new InvalidParameterException($"{where} repeats image id {id}; image ids must be unique.");
            }

            images.Add(new CocoImage(id, width, height, fileName, string.IsNullOrWhiteSpace(date) ? null : ToManifestDate(date, where), cocoUrl));
            index++;
        }

        return (images, ids);
    }

    private static List<CocoAnnotation> ReadAnnotations(JsonElement array, HashSet<long> imageIds, Dictionary<int, string> categories, string source)
    {
        var annotations = new List<CocoAnnotation>(array.GetArrayLength());
        Span<double> values = stackalloc double[4];
        var index = 0;
        foreach (var annotation in array.EnumerateArray())
        {
            var where = $"{source}: annotations[{index}]";
            if (annotation.ValueKind == JsonValueKind.Object && annotation.TryGetProperty("id", out var idElement))
            {
                where += $" (id {idElement.GetRawText()})";
            }

            var imageId = RequiredInt64(annotation, "image_id", where);
            if (!imageIds.Contains(imageId))
            {
                throw new InvalidParameterException($"{where} refers to image_id {imageId}, which is not in 'images'.");
            }

            var categoryId = RequiredInt32(annotation, "category_id", where);
            if (!categories.ContainsKey(categoryId))
            {
                throw new InvalidParameterException($"{where} refers to category_id {categoryId}, which is not in 'categories'.");
            }

            if (!annotation.TryGetProperty("bbox", out var bbox) || bbox.ValueKind != JsonValueKind.Array || bbox.GetArrayLength() != 4)
            {
                throw new InvalidParameterException($"{where} needs 'bbox' as an array of 4 numbers [x, y, width, height] in pixels.");
            }

            var i = 0;
            foreach (var value in bbox.EnumerateArray())
            {
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out values[i]) || !double.IsFinite(values[i]))
                {
                    throw new InvalidParameterException($"{where} has bbox[{i}] = {value.GetRawText()}; bbox must be 4 numbers [x, y, width, height] in pixels.");
                }

                i++;
            }

            if (values[2] < 0 || values[3] < 0)
            {
                throw new InvalidParameterException($"{where} has a negative bbox width or height ({values[2]}, {values[3]}).");
            }

            annotations.Add(new CocoAnnotation(imageId, categoryId, values[0], values[1], values[2], values[3], IsCrowd(annotation, where), Area(annotation, where)));
            index++;
        }

        return annotations;
    }

    private static bool IsCrowd(JsonElement annotation, string where)
    {
        if (!annotation.TryGetProperty("iscrowd", out var crowd))
        {
            return false;
        }

        return crowd.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            JsonValueKind.Number when crowd.TryGetInt32(out var flag) && flag is 0 or 1 => flag == 1,
            _ => throw new InvalidParameterException($"{where} has iscrowd = {crowd.GetRawText()}; it must be 0 or 1."),
        };
    }

    private static double? Area(JsonElement annotation, string where)
    {
        if (!annotation.TryGetProperty("area", out var area) || area.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (area.ValueKind != JsonValueKind.Number || !area.TryGetDouble(out var value) || !double.IsFinite(value) || value < 0)
        {
            throw new InvalidParameterException($"{where} has area = {area.GetRawText()}; it must be a number of square pixels, 0 or more.");
        }

        return value;
    }

    /// <summary>COCO's <c>%Y-%m-%d %H:%M:%S</c> becomes <c>%Y-%m-%dT%H:%M:%S</c>; the digits are kept as written.</summary>
    private static string ToManifestDate(string dateCaptured, string where)
    {
        var text = dateCaptured.Trim();
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _))
        {
            throw new InvalidParameterException($"{where} has date_captured '{dateCaptured}', which is not a date; use the form 'yyyy-MM-dd HH:mm:ss'.");
        }

        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space == 10 ? string.Concat(text.AsSpan(0, 10), "T", text.AsSpan(11)) : text;
    }

    private static int RequiredInt32(JsonElement element, string name, string where)
    {
        var value = RequiredInt64(element, name, where);
        if (value is < int.MinValue or > int.MaxValue)
        {
            throw new InvalidParameterException($"{where} has {name} = {value}, which is out of the 32-bit integer range.");
        }

        return (int)value;
    }

    private static long RequiredInt64(JsonElement element, string name, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidParameterException($"{where} must be a JSON object.");
        }

        if (!element.TryGetProperty(name, out var value))
        {
            throw new InvalidParameterException($"{where} has no '{name}'.");
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw new InvalidParameterException($"{where} has {name} = {value.GetRawText()}; it must be an integer.");
        }

        return number;
    }

    private static string RequiredString(JsonElement element, string name, string where)
    {
        var value = OptionalString(element, name, where);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidParameterException($"{where} has no '{name}' (a non-empty string is required).");
        }

        return value;
    }

    private static string? OptionalString(JsonElement element, string name, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidParameterException($"{where} must be a JSON object.");
        }

        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new InvalidParameterException($"{where} has {name} = {value.GetRawText()}; it must be a string.");
        }

        return value.GetString();
    }
}
