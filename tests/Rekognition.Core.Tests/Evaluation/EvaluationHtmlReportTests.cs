using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Rekognition.Core.Evaluation;

namespace Rekognition.Core.Tests.Evaluation;

public class EvaluationHtmlReportTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const int ImageCount = 4;

    private string _workDirectory = "";

    [SetUp]
    public void CreateWorkDirectory() => _workDirectory = Directory.CreateTempSubdirectory("eval-report-").FullName;

    [TearDown]
    public void DeleteWorkDirectory() => Directory.Delete(_workDirectory, recursive: true);

    private async Task<(ModelEvaluation Evaluation, string Path)> WriteCocoReport()
    {
        string root = Coco128Sample.FindDataRoot() ?? throw new IgnoreException("shared/data/coco128 was not found above the test directory.");
        ModelEvaluation evaluation = ModelEvaluator.Evaluate(Coco128Sample.Load(root, ImageCount));
        string path = Path.Combine(_workDirectory, "report.html");
        await using (FileStream stream = File.Create(path))
        {
            await EvaluationHtmlReportWriter.WriteAsync(stream, evaluation, new EvaluationReportOptions
            {
                Title = "coco128.v1",
                ImageBytes = image => File.ReadAllBytes(image.SourceRef),
            });
        }

        return (evaluation, path);
    }

    [Test]
    public async Task ReportIsOneFileWithEverythingInline()
    {
        (_, string path) = await WriteCocoReport();
        string html = await File.ReadAllTextAsync(path);

        Assert.That(html, Does.Contain("data:image/jpeg;base64,/9j/"));
        Assert.That(Regex.IsMatch(html, "(src|href)=\"https?:"), Is.False, "nothing is loaded from elsewhere");
        Assert.That(html, Does.Not.Contain("/*REPORT_DATA*/"));
    }

    [Test]
    public async Task ChromiumRendersMetricsRowsCurvesAndImages()
    {
        RequireChromium();
        (ModelEvaluation evaluation, string path) = await WriteCocoReport();

        string dom = RunChromium("--dump-dom", new Uri(path).AbsoluteUri);

        Assert.That(dom, Does.Contain("data-rendered=\"true\""), "the script ran to the end");
        Assert.That(dom, Does.Contain(F3(evaluation.Aggregate.F1Score)));
        Assert.That(dom, Does.Contain(F3(evaluation.Aggregate.CocoMeanAveragePrecision!.Value)));

        // The COCO-exact figures have their own labelled table, twelve rows in pycocotools' order.
        Assert.That(dom, Does.Contain("COCO-exact metrics (pycocotools COCOeval)"));
        Assert.That(dom, Does.Contain("mAP@0.5 (service, all-point)"));
        Assert.That(Regex.Matches(dom, "<tr class=\"coco-row\" data-figure=\"([A-Za-z0-9]+)\"").Select(m => m.Groups[1].Value), Is.EqualTo(CocoEvaluation.StatNames));
        Assert.That(dom, Does.Contain($"<tr class=\"coco-row\" data-figure=\"AP\"><td>AP</td><td>AP, IoU 0.50:0.95, all areas, 100 detections</td><td class=\"num\">{F3(evaluation.Coco!.AveragePrecision)}</td></tr>"));
        int reported = evaluation.LabelResults.Count(l => l.HasGroundTruth);
        Assert.That(Regex.Count(dom, "<tr class=\"label-row\""), Is.EqualTo(reported));
        foreach (LabelEvaluation label in evaluation.LabelResults.Where(l => l.HasGroundTruth))
        {
            Assert.That(dom, Does.Contain($"data-label=\"{label.Label}\""));
        }

        Assert.That(Regex.Count(dom, "<img src=\"data:image/jpeg;base64,"), Is.EqualTo(ImageCount));
        int withCurve = evaluation.LabelResults.Count(l => l.HasGroundTruth && l.PrecisionRecallCurve.Count > 0);
        Assert.That(Regex.Count(dom, "<polyline points=\"[0-9]"), Is.EqualTo(withCurve));
        Assert.That(dom, Does.Contain("class=\"pred-box FP\""));
        Assert.That(dom, Does.Contain($"Showing {ImageCount} of {ImageCount} images"));
    }

    [Test]
    public async Task FilteringByOutcomeAndLabelHidesOtherImages()
    {
        RequireChromium();
        (ModelEvaluation evaluation, string path) = await WriteCocoReport();

        // The last object of multi-object images is missed: find a label whose false negatives are on some images only.
        int ImagesWith(int label, EvaluationOutcome outcome) => Enumerable.Range(0, ImageCount).Count(i => evaluation.GetImageOutcomes(i)
            .Any(item => item.Outcome == outcome && item.LabelIndex == label));
        int label = Enumerable.Range(0, evaluation.Input.Labels.Count).First(l => ImagesWith(l, EvaluationOutcome.FalseNegative) is > 0 and < ImageCount);
        int expected = ImagesWith(label, EvaluationOutcome.FalseNegative);

        string dom = RunChromium("--dump-dom", new Uri(path).AbsoluteUri + $"#label={label}&outcomes=FN");

        Assert.That(dom, Does.Contain($"Showing {expected} of {ImageCount} images"));
        Assert.That(Regex.Count(dom, "data-visible=\"true\""), Is.EqualTo(expected));
    }

    [Test]
    public async Task ScreenshotIsWritten()
    {
        RequireChromium();
        (_, string path) = await WriteCocoReport();
        string png = Path.Combine(_workDirectory, "report.png");

        RunChromium($"--screenshot={png}", "--window-size=1280,2000", new Uri(path).AbsoluteUri);

        Assert.That(new FileInfo(png).Length, Is.GreaterThan(50_000), "a rendered page, not a blank one");
        string? keep = Environment.GetEnvironmentVariable("EVALUATION_REPORT_SCREENSHOT");
        if (!string.IsNullOrEmpty(keep))
        {
            File.Copy(png, keep, overwrite: true);
            File.Copy(path, Path.ChangeExtension(keep, ".html"), overwrite: true);
        }
    }

    [Test]
    public async Task DataWarningsAreListedAboveTheFigures_AndTheSectionIsGoneWithoutThem()
    {
        RequireChromium();
        ModelEvaluation evaluation = ModelEvaluator.Evaluate(EvaluationCases.CatsAndDogs());
        string warned = Path.Combine(_workDirectory, "warned.html");
        string clean = Path.Combine(_workDirectory, "clean.html");
        await using (FileStream stream = File.Create(warned))
        {
            await EvaluationHtmlReportWriter.WriteAsync(stream, evaluation,
                new EvaluationReportOptions { Title = "pets.v1", Warnings = ["WARNING_FEW_IMAGES_FOR_LABEL: The label 'dog' has 3 training image(s)"] });
        }

        await using (FileStream stream = File.Create(clean))
        {
            await EvaluationHtmlReportWriter.WriteAsync(stream, evaluation, new EvaluationReportOptions { Title = "pets.v1" });
        }

        string dom = RunChromium("--dump-dom", new Uri(warned).AbsoluteUri);
        Assert.That(dom, Does.Contain("<li>WARNING_FEW_IMAGES_FOR_LABEL: The label 'dog' has 3 training image(s)</li>"));
        Assert.That(RunChromium("--dump-dom", new Uri(clean).AbsoluteUri), Does.Not.Contain("id=\"warnings-section\""));
    }

    [Test]
    public async Task ClassificationReportRendersTheConfusionMatrix()
    {
        RequireChromium();
        ModelEvaluation evaluation = ModelEvaluator.Evaluate(EvaluationCases.CatsAndDogs());
        string path = Path.Combine(_workDirectory, "classification.html");
        await using (FileStream stream = File.Create(path))
        {
            await EvaluationHtmlReportWriter.WriteAsync(stream, evaluation, new EvaluationReportOptions { Title = "pets.v1" });
        }

        string dom = RunChromium("--dump-dom", new Uri(path).AbsoluteUri);

        // Rows predicted, columns ground truth: (cat, cat) 50 %, then predicted cat for dog images 33 %.
        Assert.That(dom, Does.Contain("id=\"confusion-matrix\""));
        Assert.That(Regex.Count(dom, ">50 %</td>"), Is.EqualTo(2));
        Assert.That(dom, Does.Contain(">33 %</td>").And.Contain(">67 %</td>"));
        Assert.That(dom, Does.Contain(F3(evaluation.Aggregate.F1Score)));
        Assert.That(dom, Does.Contain("Showing 5 of 5 images"));
    }

    private static string F3(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private static void RequireChromium()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Fail($"{Chromium} is not installed: the rendering checks need it (Debian/Ubuntu: apt-get install chromium).");
        }
    }

    private string RunChromium(params string[] arguments)
    {
        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={Path.Combine(_workDirectory, "profile")}",
        }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("Chromium did not finish within 60 s.");
        }

        return output.Result;
    }
}
