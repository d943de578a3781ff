using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Rekognition.Core.Model;

namespace Rekognition.Core.Manifests;

/// <summary>
/// Writes a SageMaker Ground Truth manifest: one compact JSON object per line, LF line ends, UTF-8 without BOM.
/// A line holds <c>source-ref</c> and any number of image-level labels and at most one object-location
/// attribute; a line with neither is an unlabelled image. Every line is checked before a byte of it is
/// written, so a rejected line leaves the output as it was. Lines are buffered and copied to the stream
/// in blocks; call <see cref="Flush"/> or dispose the writer to push the rest.
/// </summary>
public sealed class GroundTruthManifestWriter : IDisposable, IAsyncDisposable
{
    private const int FlushThreshold = 64 * 1024;
    private const string MetadataSuffix = "-metadata";
    private const string SourceRefKey = "source-ref";

    // Relaxed escaping keeps paths and non-ASCII names readable; the output stays valid JSON.
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold + 4096);
    private readonly Utf8JsonWriter _json;
    private readonly List<int> _usedClassIds = new();
    private bool _disposed;

    /// <summary>Starts a manifest on <paramref name="stream"/>.</summary>
    /// <param name="stream">A writable stream; the writer appends to it.</param>
    /// <param name="leaveOpen">Whether disposing the writer leaves the stream open.</param>
    public GroundTruthManifestWriter(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The manifest stream is not writable.", nameof(stream));
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        _json = new Utf8JsonWriter(_buffer, JsonOptions);
    }

    /// <summary>How many lines have been written.</summary>
    public long LinesWritten { get; private set; }

    /// <summary>Writes a line with only <c>source-ref</c>: an image without labels.</summary>
    public void WriteUnlabelled(string sourceRef) => WriteLine(sourceRef, ReadOnlySpan<ImageLabel>.Empty, null);

    /// <summary>Writes an image-level line with one label.</summary>
    public void WriteClassification(string sourceRef, ImageLabel label) =>
        WriteLine(sourceRef, new ReadOnlySpan<ImageLabel>(in label), null);

    /// <summary>Writes an image-level line with one attribute pair per label (multi-label).</summary>
    public void WriteClassification(string sourceRef, ReadOnlySpan<ImageLabel> labels) => WriteLine(sourceRef, labels, null);

    /// <summary>Writes an object-location line.</summary>
    public void WriteBoundingBoxes(string sourceRef, ImageBoundingBoxes boxes)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        WriteLine(sourceRef, ReadOnlySpan<ImageLabel>.Empty, boxes);
    }

    /// <summary>
    /// Writes one line with any mix of image-level labels and an object-location attribute.
    /// </summary>
    /// <exception cref="InvalidParameterException">The line would not be a valid manifest line: empty
    /// <c>source-ref</c>, empty or repeated attribute names, a reserved attribute name, an empty class name,
    /// a confidence outside 0..1, a non-positive image size, a non-finite box value or a box class without a name.</exception>
    public void WriteLine(string sourceRef, ReadOnlySpan<ImageLabel> labels, ImageBoundingBoxes? boxes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Check(sourceRef, labels, boxes);

        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("source-ref"u8, sourceRef);
        foreach (ref readonly var label in labels)
        {
            WriteImageLabel(label);
        }

        if (boxes is not null)
        {
            WriteBoxes(boxes);
        }

        _json.WriteEndObject();
        _json.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        LinesWritten++;

        if (_buffer.WrittenCount >= FlushThreshold)
        {
            _stream.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }
    }

    /// <summary>Copies the buffered lines to the stream and flushes it.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_buffer.WrittenCount > 0)
        {
            _stream.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }

        _stream.Flush();
    }

    /// <summary>Copies the buffered lines to the stream and flushes it.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_buffer.WrittenCount > 0)
        {
            await _stream.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            _buffer.ResetWrittenCount();
        }

        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Flushes the buffered lines and, unless told to leave it open, closes the stream.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Flush();
        _disposed = true;
        _json.Dispose();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    /// <summary>Flushes the buffered lines and, unless told to leave it open, closes the stream.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await FlushAsync().ConfigureAwait(false);
        _disposed = true;
        await _json.DisposeAsync().ConfigureAwait(false);
        if (!_leaveOpen)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void WriteImageLabel(in ImageLabel label)
    {
        _json.WriteNumber(label.AttributeName, label.AttributeValue);
        WriteMetadataName(label.AttributeName);
        _json.WriteStartObject();
        _json.WriteNumber("confidence"u8, label.Confidence);
        if (label.JobName is not null)
        {
            _json.WriteString("job-name"u8, label.JobName);
        }

        _json.WriteString("class-name"u8, label.ClassName);
        _json.WriteString("human-annotated"u8, label.HumanAnnotated ? "yes"u8 : "no"u8);
        label.CreationDate.WriteTo(_json, "creation-date"u8);
        _json.WriteString("type"u8, "groundtruth/image-classification"u8);
        _json.WriteEndObject();
    }

    private void WriteBoxes(ImageBoundingBoxes boxes)
    {
        var annotations = boxes.Annotations;
        _json.WritePropertyName(boxes.AttributeName);
        _json.WriteStartObject();
        _json.WriteStartArray("image_size"u8);
        _json.WriteStartObject();
        _json.WriteNumber("width"u8, boxes.ImageWidth);
        _json.WriteNumber("height"u8, boxes.ImageHeight);
        _json.WriteNumber("depth"u8, boxes.ImageDepth);
        _json.WriteEndObject();
        _json.WriteEndArray();
        _json.WriteStartArray("annotations"u8);
        for (var i = 0; i < annotations.Count; i++)
        {
            var box = annotations[i];
            _json.WriteStartObject();
            _json.WriteNumber("class_id"u8, box.ClassId);
            _json.WriteNumber("top"u8, box.Top);
            _json.WriteNumber("left"u8, box.Left);
            _json.WriteNumber("width"u8, box.Width);
            _json.WriteNumber("height"u8, box.Height);
            if (box.IsCrowd)
            {
                _json.WriteNumber("iscrowd"u8, 1);
            }

            if (box.Area is { } area)
            {
                _json.WriteNumber("area"u8, area);
            }

            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.WriteEndObject();

        WriteMetadataName(boxes.AttributeName);
        _json.WriteStartObject();
        _json.WriteStartArray("objects"u8);
        for (var i = 0; i < annotations.Count; i++)
        {
            _json.WriteStartObject();
            _json.WriteNumber("confidence"u8, annotations[i].Confidence);
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.WriteStartObject("class-map"u8);
        Span<byte> digits = stackalloc byte[11];
        foreach (var classId in _usedClassIds)
        {
            classId.TryFormat(digits, out var length, default, System.Globalization.CultureInfo.InvariantCulture);
            _json.WriteString(digits[..length], boxes.ClassNames[classId]);
        }

        _json.WriteEndObject();
        _json.WriteString("type"u8, "groundtruth/object-detection"u8);
        _json.WriteString("human-annotated"u8, boxes.HumanAnnotated ? "yes"u8 : "no"u8);
        boxes.CreationDate.WriteTo(_json, "creation-date"u8);
        if (boxes.JobName is not null)
        {
            _json.WriteString("job-name"u8, boxes.JobName);
        }

        _json.WriteEndObject();
    }

    // "<attribute>-metadata" built on the stack, so no string is made per label.
    private void WriteMetadataName(string attributeName)
    {
        var length = attributeName.Length + MetadataSuffix.Length;
        char[]? rented = null;
        var name = length <= 256 ? stackalloc char[length] : (rented = ArrayPool<char>.Shared.Rent(length)).AsSpan(0, length);
        attributeName.AsSpan().CopyTo(name);
        MetadataSuffix.AsSpan().CopyTo(name[attributeName.Length..]);
        _json.WritePropertyName(name);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private void Check(string sourceRef, ReadOnlySpan<ImageLabel> labels, ImageBoundingBoxes? boxes)
    {
        if (string.IsNullOrWhiteSpace(sourceRef))
        {
            throw new InvalidParameterException("A manifest line needs a non-empty source-ref.");
        }

        for (var i = 0; i < labels.Length; i++)
        {
            ref readonly var label = ref labels[i];
            CheckAttributeName(label.AttributeName, sourceRef);
            if (string.IsNullOrWhiteSpace(label.ClassName))
            {
                throw new InvalidParameterException($"The label '{label.AttributeName}' of '{sourceRef}' has an empty class-name.");
            }

            CheckConfidence(label.Confidence, sourceRef, label.AttributeName);
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(labels[j].AttributeName, label.AttributeName, StringComparison.Ordinal))
                {
                    throw new InvalidParameterException($"The line for '{sourceRef}' uses the label attribute '{label.AttributeName}' twice; give each label its own attribute name.");
                }
            }
        }

        if (boxes is null)
        {
            return;
        }

        CheckAttributeName(boxes.AttributeName, sourceRef);
        foreach (var label in labels)
        {
            if (string.Equals(label.AttributeName, boxes.AttributeName, StringComparison.Ordinal))
            {
                throw new InvalidParameterException($"The line for '{sourceRef}' uses the attribute '{boxes.AttributeName}' for both an image label and the bounding boxes.");
            }
        }

        if (boxes.ImageWidth <= 0 || boxes.ImageHeight <= 0 || boxes.ImageDepth <= 0)
        {
            throw new InvalidParameterException($"The image size of '{sourceRef}' must be positive (width {boxes.ImageWidth}, height {boxes.ImageHeight}, depth {boxes.ImageDepth}).");
        }

        _usedClassIds.Clear();
        var annotations = boxes.Annotations;
        for (var i = 0; i < annotations.Count; i++)
        {
            var box = annotations[i];
            if (!double.IsFinite(box.Left) || !double.IsFinite(box.Top) || !double.IsFinite(box.Width) || !double.IsFinite(box.Height))
            {
                throw new InvalidParameterException($"Box {i} of '{sourceRef}' has a coordinate that is not a finite number.");
            }

            CheckConfidence(box.Confidence, sourceRef, boxes.AttributeName);
            if (box.Area is { } area && !(double.IsFinite(area) && area >= 0))
            {
                throw new InvalidParameterException($"Box {i} of '{sourceRef}' has area {area}; it must be a finite number of square pixels, 0 or more.");
            }

            if (!_usedClassIds.Contains(box.ClassId))
            {
                if (!boxes.ClassNames.TryGetValue(box.ClassId, out var name) || string.IsNullOrWhiteSpace(name))
                {
                    throw new InvalidParameterException($"Box {i} of '{sourceRef}' has class_id {box.ClassId}, which has no name in the class map.");
                }

                _usedClassIds.Add(box.ClassId);
            }
        }
    }

    private static void CheckAttributeName(string attributeName, string sourceRef)
    {
        if (string.IsNullOrWhiteSpace(attributeName)
            || string.Equals(attributeName, SourceRefKey, StringComparison.Ordinal)
            || attributeName.EndsWith(MetadataSuffix, StringComparison.Ordinal))
        {
            throw new InvalidParameterException($"'{attributeName}' cannot be a label attribute name (line for '{sourceRef}'): it must be non-empty, not 'source-ref' and not end in '-metadata'.");
        }
    }

    private static void CheckConfidence(double confidence, string sourceRef, string attributeName)
    {
        if (!(confidence >= 0 && confidence <= 1))
        {
            throw new InvalidParameterException($"The confidence {confidence} of '{attributeName}' in the line for '{sourceRef}' must be between 0 and 1.");
        }
    }
}
