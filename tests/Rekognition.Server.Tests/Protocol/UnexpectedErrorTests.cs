using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rekognition.Core;
using Rekognition.Core.Model;
using Rekognition.Server.Protocol;
using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Server.Tests.Protocol;

public class UnexpectedErrorTests
{
    private sealed class CapturingLogger : ILogger
    {
        public List<(LogLevel Level, Exception? Exception, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, exception, formatter(state, exception)));
    }

    [Test]
    public async Task AnUnexpectedException_Is500InternalServerError_WithAGenericMessage_AndALoggedStack()
    {
        var operations = new Dictionary<string, OperationHandler>(RekognitionOperations.All)
        {
            ["DescribeProjects"] = OperationHandler.Handle<DescribeProjectsRequest, DescribeProjectsResponse>((_, _, _) => throw new InvalidOperationException("secret internals")),
        };
        var logger = new CapturingLogger();
        var endpoint = new RekognitionEndpoint(() => null!, new RekognitionServerOptions(), logger, operations);

        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapPost("/", (RequestDelegate)endpoint.HandleAsync);
        await app.StartAsync();
        using var client = new WireClient(app.Urls.Single().TrimEnd('/'));

        var answer = await client.SendAsync("RekognitionService.DescribeProjects", "{}");
        Assert.That(answer.Status, Is.EqualTo(500));
        Assert.That(answer.Header("x-amzn-ErrorType"), Is.EqualTo("InternalServerError"));
        var logref = answer.Json.GetProperty("Logref").GetString()!;
        var message = answer.Json.GetProperty("Message").GetString()!;
        Assert.That(message, Does.Not.Contain("secret internals").And.Contain(logref));
        var logged = logger.Entries.Single(e => e.Level == LogLevel.Error);
        Assert.That(logged.Exception, Is.InstanceOf<InvalidOperationException>());
        Assert.That(logged.Message, Does.Contain(logref).And.Contain("DescribeProjects"));
        await app.StopAsync();
    }
}
