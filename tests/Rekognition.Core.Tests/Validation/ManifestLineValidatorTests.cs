using System.Text;
using Rekognition.Core.Tests.TestSupport;
using Rekognition.Core.Validation;
using static Rekognition.Core.Tests.Validation.ValidatorFixture;

namespace Rekognition.Core.Tests.Validation;

public class ManifestLineValidatorTests
{
    private const string Meta = "\"human-annotated\":\"yes\",\"creation-date\":\"2024-05-02T08:15:30\"";
    private ValidatorFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new ValidatorFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    [Test]
    public void LinesValidatedEachOnce_AreTheLinesValidatedToKeep_WhileEachIsCurrent()
    {
        // Kept as written, duplicate, annotated with a warning, not JSON, kept as written again (CRLF ending).
        var manifest = "{\"source-ref\":\"s3://bucket/a.jpg\",\"l\":1,\"l-metadata\":{\"class-name\":\"cat\",\"confidence\":1,\"type\":\"groundtruth/image-classification\"," + Meta + "}}\n"
                       + "{\"source-ref\":\"s3://bucket/a.jpg\"}\n{\"source-ref\":\"s3://bucket/b.jpg\"}\nnot json\r\n"
                       + "{\"source-ref\":\"s3://bucket/c.jpg\",\"l\":1,\"l-metadata\":{\"class-name\":\"dog\",\"confidence\":1,\"type\":\"groundtruth/image-classification\"," + Meta + "}}\r\n";
        var kept = _fx.All(manifest);
        var seen = 0;
        foreach (var line in _fx.Lines.ValidateEachOnce(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(manifest)), null))
        {
            var expected = kept[seen++];
            Assert.That(line.Json.ToArray(), Is.EqualTo(expected.Json.ToArray()), $"line {line.LineNumber}");
            Assert.That((line.SourceRef, line.Outcome, line.Labels.Count), Is.EqualTo((expected.SourceRef, expected.Outcome, expected.Labels.Count)));
        }

        Assert.That(seen, Is.EqualTo(5));
        Assert.That(System.Text.Encoding.UTF8.GetString(kept[4].Json.Span), Does.StartWith("{\"source-ref\":\"s3://bucket/c.jpg\"").And.EndWith("}}"));
    }

    [Test]
    public void CleanClassificationLineKeepsItsBytesAndLabel()
    {
        var text = GroundTruthLines.Classification("s3://bucket/a.jpg", "kitchen");
        var line = _fx.One(text);
        Assert.That(line.Outcome, Is.EqualTo(LineOutcome.Valid));
        Assert.That(line.UseCase, Is.EqualTo(LineUseCase.ImageLevel));
        Assert.That(Encoding.UTF8.GetString(line.Json.Span), Is.EqualTo(text));
        Assert.That(line.Labels, Is.EqualTo(new[] { new LabelUse("kitchen", false) }));
        Assert.That(line.Bucket, Is.EqualTo("bucket"));
        Assert.That(line.Issues, Is.Empty);
    }

    [Test]
    public void MultiLabelAndMixedLines()
    {
        var multi = _fx.One(GroundTruthLines.MultiLabel("s3://bucket/f.jpg", "helleborus", "with_leaves"));
        Assert.That(multi.Labels.Select(l => l.Name), Is.EqualTo(new[] { "helleborus", "with_leaves" }));
        var boxes = GroundTruthLines.Boxes("s3://bucket/m.jpg", 800, 600, (0, 10, 10, 100, 100), (2, 200, 200, 50, 60));
        var mixed = _fx.One(boxes[..^1] + ",\"scene\":0,\"scene-metadata\":{\"confidence\":0.5,\"class-name\":\"c0\",\"type\":\"groundtruth/image-classification\"," + Meta + "}}");
        Assert.That(mixed.Outcome, Is.EqualTo(LineOutcome.Valid));
        Assert.That(mixed.UseCase, Is.EqualTo(LineUseCase.Both));
        Assert.That(mixed.BoundingBoxCount, Is.EqualTo(2));
        Assert.That(mixed.Labels, Is.EquivalentTo(new[] { new LabelUse("c0", true), new LabelUse("c2", true), new LabelUse("c0", false) }));
    }

    [Test]
    public void MetadataBeforeAttributeAndImageSizeAsObjectAndFloatBoxes()
    {
        var line = _fx.One("{\"bb-metadata\":{\"objects\":[{\"confidence\":0.3}],\"class-map\":{\"4\":\"helmet\"},\"type\":\"groundtruth/object-detection\"," + Meta + "},\"source-ref\":\"s3://bucket/x.png\",\"bb\":{\"annotations\":[{\"left\":120.5,\"top\":40,\"width\":200,\"height\":310.25,\"class_id\":4}],\"image_size\":{\"width\":800,\"depth\":3,\"height\":600}}}");
        Assert.That(line.Outcome, Is.EqualTo(LineOutcome.Valid));
        Assert.That(line.Labels, Is.EqualTo(new[] { new LabelUse("helmet", true) }));
    }

    [TestCase("{\"source-ref\":\"s3://bucket/a.jpg\"", "Repair the JSON")]
    [TestCase("", "empty")]
    [TestCase("   ", "empty")]
    [TestCase("[1,2]", "not a JSON object")]
    [TestCase("{\"source-ref\":\"s3://bucket/a.jpg\"} {}", "Repair the JSON")]
    [TestCase("{\"source-ref\":\"s3://bucket/a.jpg\",\"source-ref\":\"s3://bucket/b.jpg\"}", "twice")]
    [TestCase("{\"source-ref\":\"s3://bucket/a\\ud800.jpg\"}", "surrogate")]
    [TestCase("{\"source-ref\":\"s3://bucket/a.jpg\",\"x\":[\"\\udc00\"]}", "surrogate")]
    [TestCase("{\"source-ref\":\"s3://bucket/a.jpg\",\"\\ud800\":1}", "surrogate")]
    [TestCase("{\"source-ref\":\"s3://bucket/a.jpg\",\"x\":{\"a\":1,\"b\":{\"a\":2},\"\\u0061\":3}}", "'a' twice")]
    public void MalformedLinesAreDroppedWithAnErrorOnlyLine(string text, string detail)
    {
        var line = _fx.One(text);
        Assert.That(line.Outcome, Is.EqualTo(LineOutcome.Dropped));
        var json = JsonOf(line);
        Assert.That(json.Count, Is.EqualTo(1));
        Assert.That(Codes(json), Is.EqualTo(new[] { ValidationCodes.InvalidJsonLine }));
        Assert.That((string)json["errors"]![0]!["message"]!, Does.Contain(detail));
    }

    [Test]
    public void ARepeatedKeyInsideALabelIsAnInvalidJsonLine_NotAValidLineThatADomCannotReadBack()
    {
        // Found by fuzzing: such a line used to be stored as valid, and listing or relabelling it then failed.
        var valid = GroundTruthLines.Classification("s3://bucket/a.jpg", "cat");
        var repeated = valid.Replace("\"class-name\":\"cat\"", "\"class-name\":\"cat\",\"class-name\":\"dog\"", StringComparison.Ordinal);
        Assert.That(repeated, Is.Not.EqualTo(valid));
        Assert.That(_fx.One(valid).Outcome, Is.EqualTo(LineOutcome.Valid));
        var line = _fx.One(repeated);
        Assert.That((line.Outcome, line.Issues[0].Code), Is.EqualTo((LineOutcome.Dropped, ValidationCodes.InvalidJsonLine)));
        Assert.That(line.Issues[0].Message, Does.Contain("'class-name' twice"));
    }

    [TestCase(5, 3)]
    [TestCase(40, 3)]
    [TestCase(40, 30)]
    [TestCase(5000, 4000)]
    public void ARepeatedKeyInANestedObjectOfAnyWidth_IsFound(int keys, int repeated)
    {
        // Narrow objects compare keys one by one, wide ones by hash: both must find the repeat.
        var members = string.Join(",", Enumerable.Range(0, keys).Select(i => $"\"k{i}\":{i}"));
        var distinct = _fx.One("{\"source-ref\":\"s3://bucket/a.jpg\",\"x\":{" + members + "}}");
        Assert.That(distinct.Issues.Select(i => i.Code), Does.Not.Contain(ValidationCodes.InvalidJsonLine));
        var line = _fx.One("{\"source-ref\":\"s3://bucket/a.jpg\",\"x\":{" + members + $",\"k{repeated}\":0}}}}");
        Assert.That((line.Outcome, line.Issues[0].Code), Is.EqualTo((LineOutcome.Dropped, ValidationCodes.InvalidJsonLine)));
        Assert.That(line.Issues[0].Message, Does.Contain($"'k{repeated}' twice"));
    }

    [Test]
    public void NonUtf8BytesAreAnInvalidJsonLine()
    {
        var bytes = Encoding.UTF8.GetBytes(GroundTruthLines.Classification("s3://bucket/a.jpg", "x"));
        bytes[30] = 0xFF;
        var line = _fx.Lines.ValidateLine(bytes, 3, null);
        Assert.That((line.Outcome, line.Issues[0].Code, line.LineNumber), Is.EqualTo((LineOutcome.Dropped, ValidationCodes.InvalidJsonLine, 3)));
        Assert.That(line.Issues[0].Message, Does.Contain("UTF-8"));
    }

    [Test]
    public void SourceRefMissingOrMalformed()
    {
        var missing = _fx.One("{\"source\":\"s3://bucket/a.jpg\"}");
        Assert.That((missing.Outcome, Codes(JsonOf(missing))[0]), Is.EqualTo((LineOutcome.Dropped, ValidationCodes.MissingSourceRef)));
        var https = _fx.One(GroundTruthLines.Classification("https://example.com/a.jpg", "x"));
        Assert.That((https.Outcome, Codes(JsonOf(https))[0]), Is.EqualTo((LineOutcome.Dropped, ValidationCodes.InvalidSourceRefFormat)));
        var number = _fx.One("{\"source-ref\":5}");
        Assert.That(Codes(JsonOf(number)), Is.EqualTo(new[] { ValidationCodes.InvalidSourceRefFormat }));
    }

    [Test]
    public void SourceRefOutsideTheRootsIsAnInvalidImageEvenWithImageChecksOff()
    {
        var line = _fx.One(GroundTruthLines.Classification("/etc/passwd", "x"));
        Assert.That((line.Outcome, Codes(JsonOf(line))[0]), Is.EqualTo((LineOutcome.Invalid, ValidationCodes.InvalidImage)));
    }

    [Test]
    public void OnlySourceRefIsAnUnannotatedRecord()
    {
        var line = _fx.One("{\"source-ref\":\"s3://bucket/a.jpg\"}");
        Assert.That(line.Outcome, Is.EqualTo(LineOutcome.Ignored));
        Assert.That(Codes(JsonOf(line), "warnings"), Is.EqualTo(new[] { ValidationCodes.UnannotatedRecord }));
        Assert.That(line.HasErrors, Is.False);
    }

    [Test]
    public void AttributeWithoutMetadataHasNoLabelAttributes()
    {
        var line = _fx.One("{\"source-ref\":\"s3://bucket/a.jpg\",\"bounding-box\":{\"annotations\":[]}}");
        Assert.That((line.Outcome, Codes(JsonOf(line))[0]), Is.EqualTo((LineOutcome.Invalid, ValidationCodes.NoLabelAttributes)));
    }

    [Test]
    public void BadAttributeFormatGoesIntoTheAttribute()
    {
        var line = _fx.One("{\"source-ref\":\"s3://bucket/a.jpg\",\"bb\":{\"image_size\":[{\"width\":100,\"height\":100,\"depth\":3}],\"annotations\":[{\"class_id\":0,\"left\":1,\"width\":5,\"height\":5}]},\"bb-metadata\":{\"objects\":[{\"confidence\":1}],\"class-map\":{\"0\":\"a\"},\"type\":\"groundtruth/object-detection\"," + Meta + "}}");
        var json = JsonOf(line);
        Assert.That(Codes(json["bb"]), Is.EqualTo(new[] { ValidationCodes.InvalidLabelAttributeFormat }));
        Assert.That((string)json["bb"]!["errors"]![0]!["message"]!, Does.Contain("label attribute bb").And.Contain("'top'"));
        Assert.That(Codes(json), Is.EqualTo(new[] { ValidationCodes.NoValidLabelAttributes }));
        Assert.That(line.Outcome, Is.EqualTo(LineOutcome.Invalid));
    }

    [Test]
    public void WrongTypedClassificationValueIsAnAttributeFormatErrorOnTheLine()
    {
        var line = _fx.One("{\"source-ref\":\"s3://bucket/a.jpg\",\"species\":\"0\",\"species-metadata\":{\"confidence\":0,\"class-name\":\"dog\",\"type\":\"groundtruth/image-classification\"," + Meta + "}}");
        Assert.That(Codes(JsonOf(line)), Is.EqualTo(new[] { ValidationCodes.InvalidLabelAttributeFormat, ValidationCodes.NoValidLabelAttributes }));
    }

    [TestCase("\"confidence\":1,\"type\":\"groundtruth/image-classification\"," + Meta, "class-name")]
    [TestCase("\"class-name\":\"x\",\"type\":\"groundtruth/image-classification\"," + Meta, "confidence")]
    [TestCase("\"class-name\":\"x\",\"confidence\":2,\"type\":\"groundtruth/image-classification\"," + Meta, "between 0 and 1")]
    [TestCase("\"class-name\":\"x\",\"confidence\":1,\"type\":\"groundtruth/image-classification\",\"creation-date\":\"2024-01-01\"", "human-annotated")]
    [TestCase("\"class-name\":\"x\",\"confidence\":1,\"type\":\"groundtruth/image-classification\",\"human-annotated\":\"yes\"", "'creation-date' is missing")]
    [TestCase("\"class-name\":\"x\",\"confidence\":1,\"type\":\"groundtruth/image-classification\",\"human-annotated\":\"yes\",\"creation-date\":\" \u00a0\"", "'creation-date' is missing")]
    [TestCase("\"class-name\":\"x\",\"confidence\":1,\"type\":\"groundtruth/image-classification\",\"human-annotated\":\"yes\",\"creation-date\":\"\\t\\u2003\"", "'creation-date' is missing")]
    [TestCase("\"class-name\":\"x\",\"confidence\":1," + Meta, "'type' is missing")]
    [TestCase("\"class-name\":7,\"confidence\":1,\"type\":\"groundtruth/image-classification\"," + Meta, "'class-name' must be a string")]
    public void MetadataSchemaErrorsGoIntoTheMetadata(string metadata, string detail)
    {
        var line = _fx.One("{\"source-ref\":\"s3://bucket/a.jpg\",\"l\":1,\"l-metadata\":{" + metadata + "}}");
        var json = JsonOf(line);
        Assert.That(Codes(json["l-metadata"]), Is.EqualTo(new[] { ValidationCodes.InvalidLabelAttributeMetadataFormat }));
        Assert.That((string)json["l-metadata"]!["errors"]![0]!["message"]!, Does.Contain(detail));
        Assert.That(line.Outcome, Is.EqualTo(LineOutcome.Invalid));
    }

    [Test]
    public void UnknownTypeIsAnUnsupportedUseCase()
    {
        var line = _fx.One("{\"source-ref\":\"s3://bucket/a.jpg\",\"mood\":1,\"mood-metadata\":{\"class-name\":\"x\",\"confidence\":1,\"type\":\"groundtruth/text-classification\"," + Meta + "}}");
        var json = JsonOf(line);
        Assert.That(Codes(json["mood-metadata"]), Is.EqualTo(new[] { ValidationCodes.UnsupportedUseCaseType }));
        Assert.That((string)json["mood-metadata"]!["errors"]![0]!["message"]!, Does.StartWith("The use case type of the mood-metadata label attribute metadata is unsupported."));
    }

    [Test]
    public void MissingBoxConfidence()
    {
        var text = GroundTruthLines.Boxes("s3://bucket/a.jpg", 100, 100, (0, 1, 1, 10, 10), (0, 20, 20, 10, 10)).Replace("\"objects\":[{\"confidence\":1},{\"confidence\":1}]", "\"objects\":[{\"confidence\":1},{}]", StringComparison.Ordinal);
        var json = JsonOf(_fx.One(text));
        Assert.That(Codes(json["bounding-box-metadata"]), Is.EqualTo(new[] { ValidationCodes.MissingBoundingBoxConfidence }));
    }

    [Test]
    public void BoxErrorsGoIntoTheirAnnotationAndKeepTheValidBoxes()
    {
        // Box 0 fine; box 1 class 9 not in class-map; box 2 off frame; box 3 too small once 2560 px is scaled to 1280.
        var text = GroundTruthLines.Boxes("s3://bucket/a.jpg", 2560, 1000, (0, 10, 10, 100, 100), (1, 10, 10, 10, 10), (0, 2500, 10, 100, 10), (0, 5, 5, 2, 50))
            .Replace("\"1\":\"c1\",", "", StringComparison.Ordinal).Replace(",\"1\":\"c1\"", "", StringComparison.Ordinal);
        var line = _fx.One(text);
        var annotations = JsonOf(line)["bounding-box"]!["annotations"]!.AsArray();
        Assert.That(Codes(annotations[0]), Is.Empty);
        Assert.That(Codes(annotations[1]), Is.EqualTo(new[] { ValidationCodes.MissingClassMapId }));
        Assert.That(Codes(annotations[2]), Is.EqualTo(new[] { ValidationCodes.InvalidBoundingBox }));
        Assert.That(Codes(annotations[3]), Is.EqualTo(new[] { ValidationCodes.BoundingBoxTooSmall }));
        Assert.That((line.Outcome, line.BoundingBoxCount, line.HasErrors), Is.EqualTo((LineOutcome.Valid, 1, true)));
    }

    [Test]
    public void NegativeBoxIsOffFrame()
    {
        var line = _fx.One(GroundTruthLines.Boxes("s3://bucket/a.jpg", 100, 100, (0, -1, 10, 20, 20)));
        var json = JsonOf(line);
        Assert.That(Codes(json["bounding-box"]!["annotations"]![0]), Is.EqualTo(new[] { ValidationCodes.InvalidBoundingBox }));
        Assert.That(Codes(json), Is.EqualTo(new[] { ValidationCodes.NoValidAnnotations }));
        Assert.That(line.Outcome, Is.EqualTo(LineOutcome.Invalid));
    }

    [Test]
    public void MoreThanFiftyBoxes()
    {
        var boxes = Enumerable.Range(0, 51).Select(i => (0, 1.0, 1.0, 10.0, 10.0)).ToArray();
        var line = _fx.One(GroundTruthLines.Boxes("s3://bucket/a.jpg", 100, 100, boxes));
        Assert.That((line.Outcome, Codes(JsonOf(line))[0]), Is.EqualTo((LineOutcome.Invalid, ValidationCodes.TooManyBoundingBoxes)));
    }

    [Test]
    public void EmptyBoxesWarnWhenHumanAnnotated()
    {
        var line = _fx.One(GroundTruthLines.Boxes("s3://bucket/a.jpg", 100, 100));
        var json = JsonOf(line);
        Assert.That(Codes(json["bounding-box"], "warnings"), Is.EqualTo(new[] { ValidationCodes.NoAttributeAnnotations }));
        Assert.That(Codes(json, "warnings"), Is.EqualTo(new[] { ValidationCodes.NoAnnotations }));
        Assert.That(line.Outcome, Is.EqualTo(LineOutcome.Ignored));
        var notHuman = _fx.One(GroundTruthLines.Boxes("s3://bucket/b.jpg", 100, 100).Replace("\"human-annotated\":\"yes\"", "\"human-annotated\":\"no\"", StringComparison.Ordinal));
        Assert.That(Codes(JsonOf(notHuman), "warnings"), Is.EqualTo(new[] { ValidationCodes.UnannotatedRecord }));
    }

    [Test]
    public void LabelNameLength()
    {
        var line = _fx.One(GroundTruthLines.Classification("s3://bucket/a.jpg", new string('n', 257)));
        Assert.That(Codes(JsonOf(line)["label-metadata"]), Is.EqualTo(new[] { ValidationCodes.InvalidLabelNameLength }));
        Assert.That(_fx.One(GroundTruthLines.Classification("s3://bucket/a.jpg", new string('n', 256))).Outcome, Is.EqualTo(LineOutcome.Valid));
    }

    [Test]
    public void FiftyFirstLabelIsRejected()
    {
        var line = _fx.One(GroundTruthLines.MultiLabel("s3://bucket/a.jpg", Enumerable.Range(0, 51).Select(i => "l" + i).ToArray()));
        Assert.That(line.Labels, Has.Count.EqualTo(50));
        Assert.That(line.Issues.Single().Code, Is.EqualTo(ValidationCodes.InvalidLabelAttributeFormat));
        Assert.That(line.Outcome, Is.EqualTo(LineOutcome.Valid));
    }

    [Test]
    public void ServiceKeysInInputAreStrippedBeforeRevalidation()
    {
        var text = GroundTruthLines.Classification("s3://bucket/a.jpg", "x")[..^1] + ",\"errors\":[{\"code\":\"OLD\",\"message\":\"m\"}],\"cl-metadata\":{\"is_labeled\":true}}";
        var line = _fx.One(text);
        var json = JsonOf(line);
        Assert.That((line.Outcome, json.ContainsKey("errors"), json.ContainsKey("cl-metadata")), Is.EqualTo((LineOutcome.Valid, false, false)));
    }

    [Test]
    public void StreamHandlesBomCrlfBlankLinesAndDuplicates()
    {
        var a = GroundTruthLines.Classification("s3://bucket/a.jpg", "x");
        var b = GroundTruthLines.Classification("s3://bucket/b.jpg", "y");
        var manifest = "\uFEFF" + a + "\r\n\r\n" + b + "\r\n" + a + "\r\n";
        var lines = _fx.All(manifest);
        Assert.That(lines.Select(l => (l.LineNumber, l.Outcome)), Is.EqualTo(new[] { (1, LineOutcome.Valid), (2, LineOutcome.Dropped), (3, LineOutcome.Valid), (4, LineOutcome.Dropped) }));
        Assert.That(Encoding.UTF8.GetString(lines[0].Json.Span), Is.EqualTo(a));
        Assert.That(Codes(JsonOf(lines[1])), Is.EqualTo(new[] { ValidationCodes.InvalidJsonLine }));
        Assert.That(Codes(JsonOf(lines[3])), Is.EqualTo(new[] { ValidationCodes.DuplicateSourceRef }));
    }

    [Test]
    public void TooLongLineIsDropped()
    {
        using var fx = new ValidatorFixture(new ManifestLimits { MaxLineCharacters = 300 });
        var lines = fx.All(GroundTruthLines.Classification("s3://bucket/a.jpg", new string('x', 250)) + "\n" + GroundTruthLines.Classification("s3://bucket/b.jpg", "ok") + "\n");
        Assert.That(lines.Select(l => l.Outcome), Is.EqualTo(new[] { LineOutcome.Dropped, LineOutcome.Valid }));
        Assert.That(lines[0].Issues[0].Message, Does.Contain("longer than 300"));
    }

    [Test]
    public void TooManyLinesStopsWithAFileError()
    {
        using var fx = new ValidatorFixture(new ManifestLimits { MaxManifestLines = 3 });
        var manifest = string.Join("\n", Enumerable.Range(0, 10).Select(i => GroundTruthLines.Classification($"s3://bucket/{i}.jpg", "x")));
        var lines = fx.All(manifest);
        Assert.That(lines, Has.Count.EqualTo(4));
        Assert.That(lines[^1].FileError!.Code, Is.EqualTo(ValidationCodes.ManifestRowsExceedsMaximum));
        var tally = new ManifestTally(fx.Limits);
        lines.ForEach(tally.Add);
        Assert.That(tally.CheckAfterAllLines()!.Code, Is.EqualTo(ValidationCodes.ManifestRowsExceedsMaximum));
    }

    [Test]
    public void TooLargeFileStopsBeforeReading()
    {
        using var fx = new ValidatorFixture(new ManifestLimits { MaxManifestBytes = 100 });
        var lines = fx.All(GroundTruthLines.Classification("s3://bucket/a.jpg", "x") + "\n" + GroundTruthLines.Classification("s3://bucket/b.jpg", "x"));
        Assert.That(lines.Single().FileError!.Code, Is.EqualTo(ValidationCodes.ManifestSizeTooLarge));
    }

    [Test]
    public void EmptyFileAndTooManyDroppedLinesAreFileErrors()
    {
        var empty = new ManifestTally(_fx.Limits);
        _fx.All("").ForEach(empty.Add);
        Assert.That(empty.CheckAfterAllLines(), Is.EqualTo(ManifestFileError.Of(ValidationCodes.ManifestEmpty, "Add one JSON line per image.")));
        Assert.That(empty.CheckAfterAllLines()!.Message, Does.StartWith("The manifest file is empty."));

        var good = Enumerable.Range(0, 8).Select(i => GroundTruthLines.Classification($"s3://bucket/{i}.jpg", "x"));
        var twoBad = string.Join("\n", good.Concat(["{bad", "{bad"]));
        var atLimit = new ManifestTally(_fx.Limits);
        _fx.All(twoBad).ForEach(atLimit.Add);
        Assert.That(atLimit.CheckAfterAllLines(), Is.Null, "exactly 20 % passes");

        var threeBad = new ManifestTally(_fx.Limits);
        _fx.All(twoBad + "\n{bad").ForEach(threeBad.Add);
        Assert.That(threeBad.CheckAfterAllLines()!.Code, Is.EqualTo(ValidationCodes.TooManyRecordsInError));
    }

    [Test]
    public void CatalogueHasTheServicesThirtySevenCodes()
    {
        Assert.That(ValidationCodes.ServiceCodes, Has.Count.EqualTo(37));
        Assert.That(ValidationCodes.ServiceCodes.Count(c => c.IsWarning), Is.EqualTo(3));
        Assert.That(ValidationCodes.Format(ValidationCodes.InsufficientLabelOverlap, "50"), Is.EqualTo("Less than 50% label overlap between the training and testing manifest files."));
    }
}
