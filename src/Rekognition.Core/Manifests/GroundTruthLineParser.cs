using System.Text;
using System.Text.Json;

namespace Rekognition.Core.Manifests;

/// <summary>
/// Reads one Ground Truth JSON line with <see cref="Utf8JsonReader"/> into a reused <see cref="GroundTruthLine"/>,
/// without building a DOM. Keys may come in any order (a <c>-metadata</c> object may precede its attribute),
/// so the top level is read once to find where each value lies, then each attribute pair is read from
/// its own slice, metadata first, because the metadata's <c>type</c> decides how the attribute reads.
/// Not thread-safe: use one parser per thread.
/// </summary>
internal sealed class GroundTruthLineParser
{
    /// <summary>The suffix that names a label attribute's metadata key.</summary>
    public const string MetadataSuffix = "-metadata";

    /// <summary>The metadata <c>type</c> of an image-level label.</summary>
    public const string ClassificationType = "groundtruth/image-classification";

    /// <summary>The metadata <c>type</c> of bounding boxes.</summary>
    public const string ObjectDetectionType = "groundtruth/object-detection";

    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    private readonly Utf8StringInterner _interner = new();
    private readonly JsonValueScanner _scanner = new();
    private readonly GroundTruthLine _line = new();
    private readonly Dictionary<string, int> _entryIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _entryLookup;
    private TopLevelEntry[] _entries = new TopLevelEntry[16];
    private int _entryCount;
    private char[] _nameScratch = new char[64];

    /// <summary>Creates a parser.</summary>
    public GroundTruthLineParser()
    {
        _entryLookup = _entryIndex.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// Parses <paramref name="utf8Line"/> (valid UTF-8). Returns the reused line, or null with
    /// <paramref name="jsonProblem"/> set when the line is not one JSON object.
    /// </summary>
    public GroundTruthLine? Parse(ReadOnlySpan<byte> utf8Line, out string? jsonProblem)
    {
        _line.Reset();
        _entryCount = 0;
        _entryIndex.Clear();
        try
        {
            jsonProblem = ReadTopLevel(utf8Line);
        }
        catch (JsonException ex)
        {
            jsonProblem = ex.Message;
        }

        if (jsonProblem is not null)
        {
            return null;
        }

        PairAttributes(utf8Line);
        return _line;
    }

    private string? ReadTopLevel(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: true, new JsonReaderState(ReaderOptions));
        if (!reader.Read())
        {
            return "the line is empty";
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return "the line is not a JSON object";
        }

        var sawSourceRef = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Every key, string and nested object of the line is checked here, once, so the reads that follow cannot fail.
            if (_scanner.CheckString(ref reader) is { } badKey)
            {
                return badKey;
            }

            if (reader.ValueTextEquals("source-ref"u8))
            {
                if (sawSourceRef)
                {
                    return "the key 'source-ref' appears twice";
                }

                sawSourceRef = true;
                reader.Read();
                if (_scanner.CheckString(ref reader) is { } badSourceRef)
                {
                    return badSourceRef;
                }

                if (reader.TokenType == JsonTokenType.String)
                {
                    _line.SourceRefPresence = SourceRefPresence.Present;
                    _line.SourceRef = reader.GetString();
                }
                else
                {
                    _line.SourceRefPresence = SourceRefPresence.NotAString;
                    if (_scanner.SkipValue(ref reader) is { } badValue)
                    {
                        return badValue;
                    }
                }

                continue;
            }

            if (IsServiceKey(ref reader))
            {
                _line.HasServiceKeys = true;
                reader.Read();
                if (_scanner.SkipValue(ref reader) is { } badServiceValue)
                {
                    return badServiceValue;
                }

                continue;
            }

            // Keys are looked up by hash, never compared pairwise: a line of ten thousand keys stays linear.
            var name = ReadName(ref reader);
            if (!_entryIndex.TryAdd(name, _entryCount))
            {
                return $"the key '{name}' appears twice";
            }

            reader.Read();
            var start = (int)reader.TokenStartIndex;
            var tokenType = reader.TokenType;
            if (_scanner.SkipValue(ref reader) is { } problem)
            {
                return problem;
            }

            var end = (int)reader.BytesConsumed;
            if (_entryCount == _entries.Length)
            {
                Array.Resize(ref _entries, _entries.Length * 2);
            }

            _entries[_entryCount++] = new TopLevelEntry(name, start, end - start, tokenType);
            _line.OtherKeyCount++;
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return "the line is not a JSON object";
        }

        // Anything after the closing brace (another value, garbage) makes the reader throw here.
        return reader.Read() ? "there is content after the JSON object" : null;
    }

    private void PairAttributes(ReadOnlySpan<byte> json)
    {
        for (var i = 0; i < _entryCount; i++)
        {
            var attribute = _entries[i];
            if (attribute.Name.EndsWith(MetadataSuffix, StringComparison.Ordinal) && HasBaseAttribute(attribute.Name))
            {
                continue;
            }

            var metadataIndex = FindMetadata(attribute.Name);
            if (metadataIndex < 0)
            {
                continue;
            }

            var target = _line.AddAttribute(attribute.Name);
            var metadata = _entries[metadataIndex];
            ReadMetadata(json.Slice(metadata.Start, metadata.Length), target);
            ReadAttribute(json.Slice(attribute.Start, attribute.Length), attribute.TokenType, target);
        }
    }

    private bool HasBaseAttribute(string metadataName) =>
        _entryLookup.ContainsKey(metadataName.AsSpan(0, metadataName.Length - MetadataSuffix.Length));

    private int FindMetadata(string attributeName)
    {
        var length = attributeName.Length + MetadataSuffix.Length;
        if (_nameScratch.Length < length)
        {
            _nameScratch = new char[Math.Max(length, _nameScratch.Length * 2)];
        }

        attributeName.CopyTo(_nameScratch);
        MetadataSuffix.CopyTo(_nameScratch.AsSpan(attributeName.Length));
        return _entryLookup.TryGetValue(_nameScratch.AsSpan(0, length), out var index) ? index : -1;
    }

    private void ReadMetadata(ReadOnlySpan<byte> json, GroundTruthLabelAttribute target)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: true, new JsonReaderState(ReaderOptions));
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            target.MetadataProblem = $"'{target.Name}{MetadataSuffix}' must be a JSON object";
            return;
        }

        target.MetadataIsObject = true;
        var hasConfidence = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (IsServiceKey(ref reader))
            {
                _line.HasServiceKeys = true;
                reader.Read();
                reader.Skip();
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                target.Type = ReadInternedString(ref reader, target, "type");
            }
            else if (reader.ValueTextEquals("class-name"u8))
            {
                reader.Read();
                target.ClassName = ReadInternedString(ref reader, target, "class-name");
            }
            else if (reader.ValueTextEquals("job-name"u8))
            {
                reader.Read();
                target.JobName = ReadInternedString(ref reader, target, "job-name");
            }
            else if (reader.ValueTextEquals("human-annotated"u8))
            {
                reader.Read();
                target.HumanAnnotated = ReadInternedString(ref reader, target, "human-annotated");
            }
            else if (reader.ValueTextEquals("creation-date"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    target.HasCreationDate = !IsWhiteSpace(ref reader);
                }
                else
                {
                    target.MetadataProblem ??= "'creation-date' must be a string";
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("confidence"u8))
            {
                reader.Read();
                hasConfidence = true;
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var confidence))
                {
                    target.Confidence = confidence;
                }
                else
                {
                    target.MetadataProblem ??= "'confidence' must be a number between 0 and 1";
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("class-map"u8))
            {
                reader.Read();
                ReadClassMap(ref reader, target);
            }
            else if (reader.ValueTextEquals("objects"u8))
            {
                reader.Read();
                ReadObjects(ref reader, target);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        target.Kind = target.Type switch
        {
            null => LabelAttributeKind.Unknown,
            ClassificationType => LabelAttributeKind.Classification,
            ObjectDetectionType => LabelAttributeKind.ObjectDetection,
            _ => LabelAttributeKind.Unsupported,
        };
        CheckRequiredMetadata(target, hasConfidence);
    }

    private static void CheckRequiredMetadata(GroundTruthLabelAttribute target, bool hasConfidence)
    {
        if (target.MetadataProblem is not null)
        {
            return;
        }

        string? problem = null;
        if (target.Type is null)
        {
            problem = "'type' is missing";
        }
        else if (target.HumanAnnotated is null)
        {
            problem = "'human-annotated' is missing";
        }
        else if (target.HumanAnnotated is not ("yes" or "no"))
        {
            problem = "'human-annotated' must be \"yes\" or \"no\"";
        }
        else if (!target.HasCreationDate)
        {
            problem = "'creation-date' is missing";
        }
        else if (target.Kind == LabelAttributeKind.Classification)
        {
            if (target.ClassName is null)
            {
                problem = "'class-name' is missing";
            }
            else if (!hasConfidence)
            {
                problem = "'confidence' is missing (any value from 0 to 1)";
            }
            else if (target.Confidence is < 0 or > 1)
            {
                problem = "'confidence' must be between 0 and 1";
            }
        }
        else if (target.Kind == LabelAttributeKind.ObjectDetection)
        {
            if (!target.HasObjects)
            {
                problem = "'objects' is missing (one {\"confidence\": n} per annotation)";
            }
            else if (!target.HasClassMap)
            {
                problem = "'class-map' is missing";
            }
        }

        target.MetadataProblem = problem;
    }

    private void ReadClassMap(ref Utf8JsonReader reader, GroundTruthLabelAttribute target)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            target.MetadataProblem ??= "'class-map' must be an object of \"class id\": \"label\"";
            reader.Skip();
            return;
        }

        target.HasClassMap = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var idOk = TryReadIntegerKey(ref reader, out var classId);
            reader.Read();
            if (!idOk)
            {
                target.MetadataProblem ??= "'class-map' keys must be integer class ids";
                reader.Skip();
            }
            else if (reader.TokenType != JsonTokenType.String)
            {
                target.MetadataProblem ??= $"'class-map' entry \"{classId}\" must be a string label";
                reader.Skip();
            }
            else
            {
                target.MutableClassMap.Add(new ClassMapEntry(classId, Intern(ref reader)));
            }
        }
    }

    private static void ReadObjects(ref Utf8JsonReader reader, GroundTruthLabelAttribute target)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            target.MetadataProblem ??= "'objects' must be an array of {\"confidence\": n}";
            reader.Skip();
            return;
        }

        target.HasObjects = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                target.MetadataProblem ??= "'objects' items must be objects";
                reader.Skip();
                continue;
            }

            double? confidence = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isConfidence = reader.ValueTextEquals("confidence"u8);
                reader.Read();
                if (isConfidence && reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var value))
                {
                    confidence = value;
                }
                else
                {
                    reader.Skip();
                }
            }

            target.MutableObjectConfidences.Add(confidence);
        }
    }

    private void ReadAttribute(ReadOnlySpan<byte> json, JsonTokenType tokenType, GroundTruthLabelAttribute target)
    {
        target.AttributeIsObject = tokenType == JsonTokenType.StartObject;
        var reader = new Utf8JsonReader(json, isFinalBlock: true, new JsonReaderState(ReaderOptions));
        reader.Read();
        switch (target.Kind)
        {
            case LabelAttributeKind.Classification:
                if (reader.TokenType == JsonTokenType.Number && TryGetInteger(ref reader, out var value))
                {
                    target.LabelValue = value;
                }
                else
                {
                    target.AttributeProblem = $"'{target.Name}' must be an integer";
                }

                break;
            case LabelAttributeKind.ObjectDetection:
                ReadBoxAttribute(ref reader, target);
                break;
        }
    }

    private void ReadBoxAttribute(ref Utf8JsonReader reader, GroundTruthLabelAttribute target)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            target.AttributeProblem = $"'{target.Name}' must be an object with 'image_size' and 'annotations'";
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (IsServiceKey(ref reader))
            {
                _line.HasServiceKeys = true;
                reader.Read();
                reader.Skip();
            }
            else if (reader.ValueTextEquals("image_size"u8))
            {
                reader.Read();
                ReadImageSize(ref reader, target);
            }
            else if (reader.ValueTextEquals("annotations"u8))
            {
                reader.Read();
                ReadAnnotations(ref reader, target);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (target.AttributeProblem is null && target.ImageSize is null)
        {
            target.AttributeProblem = "'image_size' is missing";
        }
    }

    private static void ReadImageSize(ref Utf8JsonReader reader, GroundTruthLabelAttribute target)
    {
        // The format has a one-element array; COCO-derived files write the object itself. Both are accepted.
        var inArray = reader.TokenType == JsonTokenType.StartArray;
        if (inArray && !reader.Read())
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            target.AttributeProblem ??= "'image_size' must be [{\"width\": w, \"height\": h, \"depth\": d}]";
            if (inArray && reader.TokenType != JsonTokenType.EndArray)
            {
                reader.Skip();
                SkipToArrayEnd(ref reader);
            }
            else if (!inArray)
            {
                reader.Skip();
            }

            return;
        }

        int? width = null, height = null, depth = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref int? slot = ref width;
            var known = true;
            if (reader.ValueTextEquals("width"u8))
            {
                slot = ref width;
            }
            else if (reader.ValueTextEquals("height"u8))
            {
                slot = ref height;
            }
            else if (reader.ValueTextEquals("depth"u8))
            {
                slot = ref depth;
            }
            else
            {
                known = false;
            }

            reader.Read();
            if (known && reader.TokenType == JsonTokenType.Number && TryGetInteger(ref reader, out var value) && value is >= 0 and <= int.MaxValue)
            {
                slot = (int)value;
            }
            else
            {
                reader.Skip();
            }
        }

        if (inArray)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.EndArray)
            {
                target.AttributeProblem ??= "'image_size' must hold exactly one object";
                reader.Skip();
                SkipToArrayEnd(ref reader);
            }
        }

        if (width is null || height is null || depth is null)
        {
            target.AttributeProblem ??= "'image_size' needs integer 'width', 'height' and 'depth'";
            return;
        }

        target.ImageSize = new ImageSize(width.Value, height.Value, depth.Value);
    }

    private static void ReadAnnotations(ref Utf8JsonReader reader, GroundTruthLabelAttribute target)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            target.AttributeProblem ??= "'annotations' must be an array of boxes";
            reader.Skip();
            return;
        }

        target.HasAnnotations = true;
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                target.AttributeProblem ??= $"annotations[{index}] must be an object";
                reader.Skip();
                index++;
                continue;
            }

            int? classId = null;
            double? left = null, top = null, width = null, height = null, area = null;
            var crowd = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // COCO's iscrowd and area, which the COCO converter keeps for the COCO-exact metrics; anything else unusable reads as absent.
                if (reader.ValueTextEquals("iscrowd"u8))
                {
                    reader.Read();
                    crowd = reader.TokenType == JsonTokenType.True
                        || (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var flag) && flag == 1);
                    reader.Skip();
                    continue;
                }

                if (reader.ValueTextEquals("area"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var value) && double.IsFinite(value) && value >= 0)
                    {
                        area = value;
                    }

                    reader.Skip();
                    continue;
                }

                if (reader.ValueTextEquals("class_id"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && TryGetInteger(ref reader, out var id) && id is >= int.MinValue and <= int.MaxValue)
                    {
                        classId = (int)id;
                    }

                    reader.Skip();
                    continue;
                }

                ref double? slot = ref left;
                var known = true;
                if (reader.ValueTextEquals("left"u8))
                {
                    slot = ref left;
                }
                else if (reader.ValueTextEquals("top"u8))
                {
                    slot = ref top;
                }
                else if (reader.ValueTextEquals("width"u8))
                {
                    slot = ref width;
                }
                else if (reader.ValueTextEquals("height"u8))
                {
                    slot = ref height;
                }
                else
                {
                    known = false;
                }

                reader.Read();
                if (known && reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var number) && double.IsFinite(number))
                {
                    slot = number;
                }
                else
                {
                    reader.Skip();
                }
            }

            if (classId is null || left is null || top is null || width is null || height is null)
            {
                target.AttributeProblem ??= $"annotations[{index}] needs numeric 'class_id', 'top', 'left', 'width' and 'height' ({MissingBoxField(classId, left, top, width, height)} missing or not a number)";
            }
            else
            {
                target.MutableAnnotations.Add(new BoundingBoxAnnotation(classId.Value, left.Value, top.Value, width.Value, height.Value) { IsCrowd = crowd, Area = area });
            }

            index++;
        }
    }

    private static string MissingBoxField(int? classId, double? left, double? top, double? width, double? height) =>
        classId is null ? "'class_id'" : left is null ? "'left'" : top is null ? "'top'" : width is null ? "'width'" : "'height'";

    private static void SkipToArrayEnd(ref Utf8JsonReader reader)
    {
        while (reader.TokenType != JsonTokenType.EndArray && reader.Read())
        {
            reader.Skip();
        }
    }

    private static bool TryGetInteger(ref Utf8JsonReader reader, out long value)
    {
        if (reader.TryGetInt64(out value))
        {
            return true;
        }

        // 3.0 is accepted as 3: some exporters write every number as a float.
        if (reader.TryGetDouble(out var real) && real == Math.Floor(real) && Math.Abs(real) < 1e15)
        {
            value = (long)real;
            return true;
        }

        return false;
    }

    private static bool TryReadIntegerKey(ref Utf8JsonReader reader, out int value)
    {
        if (!reader.ValueIsEscaped && System.Buffers.Text.Utf8Parser.TryParse(reader.ValueSpan, out value, out var consumed) && consumed == reader.ValueSpan.Length)
        {
            return true;
        }

        return int.TryParse(reader.GetString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    private static bool IsServiceKey(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("errors"u8) || reader.ValueTextEquals("warnings"u8)
        || reader.ValueTextEquals("cl-errors"u8) || reader.ValueTextEquals("cl-metadata"u8);

    private string? ReadInternedString(ref Utf8JsonReader reader, GroundTruthLabelAttribute target, string field)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return Intern(ref reader);
        }

        target.MetadataProblem ??= $"'{field}' must be a string";
        reader.Skip();
        return null;
    }

    private string ReadName(ref Utf8JsonReader reader) => Intern(ref reader);

    // A string value that is empty or white space only (as string.IsNullOrWhiteSpace), read without making the string.
    private static bool IsWhiteSpace(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return string.IsNullOrWhiteSpace(reader.GetString());
        }

        var utf8 = reader.ValueSpan;
        while (!utf8.IsEmpty)
        {
            if (System.Text.Rune.DecodeFromUtf8(utf8, out var rune, out var consumed) != System.Buffers.OperationStatus.Done || !System.Text.Rune.IsWhiteSpace(rune))
            {
                return false;
            }

            utf8 = utf8[consumed..];
        }

        return true;
    }

    private string Intern(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped || reader.HasValueSequence ? reader.GetString()! : _interner.Intern(reader.ValueSpan);

    private readonly record struct TopLevelEntry(string Name, int Start, int Length, JsonTokenType TokenType);
}
