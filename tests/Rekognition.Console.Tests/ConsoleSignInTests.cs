using System.Net;
using System.Text;
using Microsoft.Playwright;
using Rekognition.Console.Tests.TestSupport;
using Rekognition.Server.Tests.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Rekognition.Console.Tests;

/// <summary>A server with credentials: the console asks for them once and keeps a signed session cookie; without it, nothing answers.</summary>
[NonParallelizable]
public class ConsoleSignInTests
{
    private const string AccessKey = "AKIDCONSOLETEST";
    private const string Secret = "console-secret-0123456789";

    private LocalServerFixture _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await LocalServerFixture.StartAsync(AccessKey, Secret);

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task WithoutASession_TheApiRefuses_AWrongSecretIsRefused_AndTheCookieIsHttpOnlyAndStrict()
    {
        using var handler = new HttpClientHandler { UseCookies = false };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(_server.Endpoint) };
        var anonymous = await http.GetAsync("/console/api/projects");
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await anonymous.Content.ReadAsStringAsync(), Does.Contain("AccessDeniedException"));

        var wrong = await SignInAsync(http, AccessKey, "not-the-secret");
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(wrong.Headers.Contains("Set-Cookie"), Is.False);

        var right = await SignInAsync(http, AccessKey, Secret);
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var cookie = right.Headers.GetValues("Set-Cookie").Single();
        Assert.That(cookie, Does.StartWith("rk-console=").And.Contain("httponly").IgnoreCase.And.Contain("samesite=strict").IgnoreCase.And.Contain("path=/console"));

        var value = cookie.Split(';')[0];
        Assert.That((await GetWithCookieAsync(http, value)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var tampered = value[..^4] + (value.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        Assert.That((await GetWithCookieAsync(http, tampered)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task TheBrowserSignsInOnce_ThenUsesTheConsole()
    {
        await using var browser = await ConsoleBrowser.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(_server.Endpoint + "/console/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "09-sign-in");
        await page.GetByLabel("Access key").FillAsync(AccessKey);
        await page.GetByLabel("Secret").FillAsync("wrong");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#alert")).ToContainTextAsync("not the server's");
        await page.GetByLabel("Secret").FillAsync(Secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Projects" })).ToBeVisibleAsync();
        await page.GetByLabel("New project name").FillAsync("signed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "signed" })).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "signed" })).ToBeVisibleAsync();
        var cookies = await page.Context.CookiesAsync();
        Assert.That(cookies.Single(c => c.Name == "rk-console"), Has.Property("HttpOnly").True.And.Property("SameSite").EqualTo(SameSiteAttribute.Strict));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient http, string key, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/console/api/session")
        {
            Content = new StringContent($$"""{"accessKeyId":"{{key}}","secretAccessKey":"{{secret}}"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Rekognition-Console", "1");
        return await http.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> GetWithCookieAsync(HttpClient http, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/console/api/projects");
        request.Headers.Add("Cookie", cookie);
        return await http.SendAsync(request);
    }
}
