using System.Globalization;
using System.Text;
using Rekognition.Server.Protocol;
using Rekognition.Server.Security;
using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Server.Tests.Security;

public class SigV4Tests
{
    // The describe-projects request that AWS CLI v2 signed (access key "test", secret "test") in the
    // wire capture of the spec, section 2.2: its canonical request, string to sign and signature.
    private const string CapturedCanonicalRequest =
        "POST\n/\n\ncontent-type:application/x-amz-json-1.1\nhost:127.0.0.1:9\nx-amz-date:20261122T213000Z\n"
        + "x-amz-target:RekognitionService.DescribeProjects\n\ncontent-type;host;x-amz-date;x-amz-target\n"
        + "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    private const string CapturedSignature = "266ffe5e8c41bfc1bb08215388f848bb00b823f682a85a6c2240874e101deaad";

    private static readonly Dictionary<string, string> CapturedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Host"] = "127.0.0.1:9",
        ["X-Amz-Target"] = "RekognitionService.DescribeProjects",
        ["Content-Type"] = "application/x-amz-json-1.1",
        ["X-Amz-Date"] = "20261122T213000Z",
        ["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/20261122/us-east-1/rekognition/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + CapturedSignature,
        ["User-Agent"] = "aws-cli/2.9.19",
        ["Content-Length"] = "2",
    };

    private static readonly DateTimeOffset CaptureTime = new(2026, 11, 22, 21, 30, 0, TimeSpan.Zero);

    [Test]
    public void CanonicalRequest_StringToSign_AndSignature_MatchTheCapturedVector()
    {
        var body = "{}"u8.ToArray();
        Assert.That(SigV4.HexSha256(body), Is.EqualTo("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"));

        var canonical = SigV4.CanonicalRequest("POST", SigV4.CanonicalUri("/"), SigV4.CanonicalQuery(""),
            ["content-type", "host", "x-amz-date", "x-amz-target"], n => CapturedHeaders.GetValueOrDefault(n), SigV4.HexSha256(body));
        Assert.That(canonical, Is.EqualTo(CapturedCanonicalRequest));

        var scope = SigV4.CredentialScope("20261122", "us-east-1");
        var stringToSign = SigV4.StringToSign("20261122T213000Z", scope, canonical);
        Assert.That(stringToSign, Is.EqualTo(
            "AWS4-HMAC-SHA256\n20261122T213000Z\n20261122/us-east-1/rekognition/aws4_request\nbd16829a9dabd241e676603e225175961114f1d37b5bf57ffb8d9069d94ebd6c"));
        Assert.That(SigV4.Signature(SigV4.SigningKey("test", "20261122", "us-east-1"), stringToSign), Is.EqualTo(CapturedSignature));
    }

    private static SignedRequest Captured(Action<Dictionary<string, string>>? change = null, string body = "{}")
    {
        var headers = new Dictionary<string, string>(CapturedHeaders, StringComparer.OrdinalIgnoreCase);
        change?.Invoke(headers);
        return new SignedRequest("POST", "/", null, n => headers.GetValueOrDefault(n), Encoding.UTF8.GetBytes(body));
    }

    private static SigV4Verifier Verifier(string secret = "test", string? region = null, DateTimeOffset? now = null) =>
        new(new RekognitionServerOptions { AccessKeyId = "test", SecretAccessKey = secret, Region = region }, new FixedTimeProvider(now ?? CaptureTime.AddMinutes(2)));

    [Test]
    public void Verifier_AcceptsTheCapturedRequest_WithinTheTimeWindow()
    {
        Assert.That(Verifier().Verify(Captured()), Is.Null);
        Assert.That(Verifier(region: "us-east-1").Verify(Captured()), Is.Null);
        Assert.That(Verifier(now: CaptureTime.AddMinutes(-4)).Verify(Captured()), Is.Null);
    }

    [Test]
    public void Verifier_Rejects_WithTheServiceErrorCodes()
    {
        Assert.Multiple(() =>
        {
            var missing = Verifier().Verify(Captured(h => h.Remove("Authorization")))!;
            Assert.That((missing.ErrorCode, missing.Message), Is.EqualTo((ProtocolErrors.MissingAuthenticationTokenCode, "Missing Authentication Token")));

            var wrongSecret = Verifier(secret: "other").Verify(Captured())!;
            Assert.That(wrongSecret.ErrorCode, Is.EqualTo(ProtocolErrors.InvalidSignatureCode));
            Assert.That(wrongSecret.Message, Does.StartWith("The request signature we calculated does not match the signature you provided."));

            var tamperedBody = Verifier().Verify(Captured(body: "{\"MaxResults\":1}"))!;
            Assert.That(tamperedBody.ErrorCode, Is.EqualTo(ProtocolErrors.InvalidSignatureCode));

            var tamperedHeader = Verifier().Verify(Captured(h => h["X-Amz-Target"] = "RekognitionService.DeleteProject"))!;
            Assert.That(tamperedHeader.ErrorCode, Is.EqualTo(ProtocolErrors.InvalidSignatureCode));

            var unknownKey = Verifier().Verify(Captured(h => h["Authorization"] = h["Authorization"].Replace("Credential=test/", "Credential=AKIDOTHER/", StringComparison.Ordinal)))!;
            Assert.That((unknownKey.ErrorCode, unknownKey.Message), Is.EqualTo((ProtocolErrors.UnrecognizedClientCode, "The security token included in the request is invalid.")));

            var stale = Verifier(now: CaptureTime.AddMinutes(6)).Verify(Captured())!;
            Assert.That(stale.ErrorCode, Is.EqualTo(ProtocolErrors.InvalidSignatureCode));
            Assert.That(stale.Message, Does.StartWith("Signature expired: 20261122T213000Z is now earlier than 20261122T213100Z (20261122T213600Z - 5 min.)"));

            var future = Verifier(now: CaptureTime.AddMinutes(-6)).Verify(Captured())!;
            Assert.That(future.Message, Does.StartWith("Signature not yet current"));

            var otherRegion = Verifier(region: "eu-west-1").Verify(Captured())!;
            Assert.That(otherRegion.ErrorCode, Is.EqualTo(ProtocolErrors.InvalidSignatureCode));
            Assert.That(otherRegion.Message, Does.Contain("region"));

            var otherService = Verifier().Verify(Captured(h => h["Authorization"] = h["Authorization"].Replace("/rekognition/", "/s3/", StringComparison.Ordinal)))!;
            Assert.That(otherService.Message, Does.Contain("'rekognition'"));

            var garbled = Verifier().Verify(Captured(h => h["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/20261122/us-east-1/rekognition/aws4_request"))!;
            Assert.That(garbled.ErrorCode, Is.EqualTo(ProtocolErrors.IncompleteSignatureCode));
            Assert.That(garbled.Message, Does.Contain("SignedHeaders").And.Contain("Signature"));
        });
    }

    [Test]
    public void Verifier_IncludesTheSessionTokenWhenItIsSigned()
    {
        const string token = "FwoGZXIvYXdzEXAMPLE";
        var headers = new Dictionary<string, string>(CapturedHeaders, StringComparer.OrdinalIgnoreCase) { ["X-Amz-Security-Token"] = token };
        string[] signed = ["content-type", "host", "x-amz-date", "x-amz-security-token", "x-amz-target"];
        var canonical = SigV4.CanonicalRequest("POST", "/", "", signed, n => headers.GetValueOrDefault(n), SigV4.HexSha256("{}"u8));
        var signature = SigV4.Signature(SigV4.SigningKey("test", "20261122", "us-east-1"),
            SigV4.StringToSign("20261122T213000Z", SigV4.CredentialScope("20261122", "us-east-1"), canonical));
        headers["Authorization"] = $"AWS4-HMAC-SHA256 Credential=test/20261122/us-east-1/rekognition/aws4_request, SignedHeaders={string.Join(';', signed)}, Signature={signature}";
        var request = new SignedRequest("POST", "/", null, n => headers.GetValueOrDefault(n), "{}"u8.ToArray());
        Assert.That(Verifier().Verify(request), Is.Null);

        headers["X-Amz-Security-Token"] = token + "x";
        Assert.That(Verifier().Verify(request)!.ErrorCode, Is.EqualTo(ProtocolErrors.InvalidSignatureCode));
    }

    /// <summary>A request carrying <paramref name="headers"/>, with a real signature over only <paramref name="signed"/>.</summary>
    private static SignedRequest SignedOver(Dictionary<string, string> headers, string[] signed, string body = "{}")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var canonical = SigV4.CanonicalRequest("POST", "/", "", signed, n => headers.GetValueOrDefault(n), SigV4.HexSha256(bytes));
        var signature = SigV4.Signature(SigV4.SigningKey("test", "20261122", "us-east-1"),
            SigV4.StringToSign("20261122T213000Z", SigV4.CredentialScope("20261122", "us-east-1"), canonical));
        headers["Authorization"] = $"AWS4-HMAC-SHA256 Credential=test/20261122/us-east-1/rekognition/aws4_request, SignedHeaders={string.Join(';', signed)}, Signature={signature}";
        return new SignedRequest("POST", "/", null, n => headers.GetValueOrDefault(n), bytes);
    }

    private static Dictionary<string, string> CapturedWithoutAuthorization(string target)
    {
        var headers = new Dictionary<string, string>(CapturedHeaders, StringComparer.OrdinalIgnoreCase) { ["X-Amz-Target"] = target };
        headers.Remove("Authorization");
        return headers;
    }

    [Test]
    public void ASignatureOverHostAndDateOnly_IsRefused_AndCannotBeReplayedAsAnotherOperation()
    {
        var headers = CapturedWithoutAuthorization("RekognitionService.DescribeProjectVersions");
        var request = SignedOver(headers, ["host", "x-amz-date"]);
        var original = Verifier().Verify(request)!;
        Assert.That(original.ErrorCode, Is.EqualTo(ProtocolErrors.InvalidSignatureCode));
        Assert.That(original.Message, Does.Contain("'x-amz-target'"));

        headers["X-Amz-Target"] = "RekognitionService.DeleteProject";
        var replayed = Verifier().Verify(request)!;
        Assert.That(replayed.ErrorCode, Is.EqualTo(ProtocolErrors.InvalidSignatureCode));
        Assert.That(replayed.Message, Does.Contain("'x-amz-target'"));
    }

    [Test]
    public void TargetAndContentType_MustBeSigned_WhenPresent_AndOnlyThen()
    {
        Assert.Multiple(() =>
        {
            var withoutContentType = Verifier().Verify(SignedOver(CapturedWithoutAuthorization("RekognitionService.DescribeProjects"), ["host", "x-amz-date", "x-amz-target"]))!;
            Assert.That(withoutContentType.ErrorCode, Is.EqualTo(ProtocolErrors.InvalidSignatureCode));
            Assert.That(withoutContentType.Message, Does.Contain("'content-type'"));

            var all = Verifier().Verify(SignedOver(CapturedWithoutAuthorization("RekognitionService.DescribeProjects"), ["content-type", "host", "x-amz-date", "x-amz-target"]));
            Assert.That(all, Is.Null, "the same signing code is accepted once the list is complete");

            // A header the request does not carry need not be listed.
            var noContentType = CapturedWithoutAuthorization("RekognitionService.DescribeProjects");
            noContentType.Remove("Content-Type");
            Assert.That(Verifier().Verify(SignedOver(noContentType, ["host", "x-amz-date", "x-amz-target"])), Is.Null);
        });
    }

    [Test]
    public void CanonicalHeaderValues_AreTrimmedWithSpacesFolded()
    {
        Assert.That(SigV4.CanonicalHeaderValue("  a   b  c "), Is.EqualTo("a b c"));
        Assert.That(SigV4.CanonicalQuery("b=2&a=x%20y&a=1"), Is.EqualTo("a=1&a=x%20y&b=2"));
        Assert.That(DateTime.ParseExact("20261122T213000Z", SigV4.DateTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            Is.EqualTo(CaptureTime.UtcDateTime));
    }
}
