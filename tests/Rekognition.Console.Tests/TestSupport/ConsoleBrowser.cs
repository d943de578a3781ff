using Microsoft.Playwright;

namespace Rekognition.Console.Tests.TestSupport;

/// <summary>
/// Debian's Chromium driven by Playwright (its own browser download is not reachable here), headless, with
/// --no-sandbox when the tests run as root (Chromium refuses to start its sandbox as root). Screenshots are saved
/// under the test output folder (screenshots/) and attached to the test.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"];

    private readonly IPlaywright _playwright;

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>The folder screenshots go to.</summary>
    public static string ScreenshotFolder => Directory.CreateDirectory(Path.Combine(TestContext.CurrentContext.TestDirectory, "screenshots")).FullName;

    public static async Task<ConsoleBrowser> LaunchAsync()
    {
        var executable = Candidates.FirstOrDefault(File.Exists);
        if (executable is null)
        {
            Assert.Fail("Chromium is not installed: apt-get install chromium (the tests drive /usr/lib/chromium/chromium through Playwright).");
        }

        var playwright = await Playwright.CreateAsync();
        var args = new List<string> { "--disable-dev-shm-usage" };
        if (Environment.UserName == "root")
        {
            args.Add("--no-sandbox");
        }

        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true, Args = args });
        return new ConsoleBrowser(playwright, browser);
    }

    /// <summary>A new page (own cookies) of 1280x900.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        return page;
    }

    /// <summary>Saves a full-page screenshot as screenshots/<paramref name="name"/>.png and attaches it to the running test.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, name);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
