using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace Rekognition.Server.Console;

/// <summary>The console's pages, scripts and styles, embedded in this assembly (resource names <c>console/...</c>), served from memory.</summary>
internal sealed class ConsoleAssets
{
    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, byte[]> _files;

    public ConsoleAssets()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("console/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name["console/".Length..].Replace('\\', '/')] = copy.ToArray();
        }

        _files = files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The names of the files served (relative to <c>/console/</c>).</summary>
    public IEnumerable<string> Names => _files.Keys;

    /// <summary>Serves <paramref name="name"/> (<c>index.html</c> for the root); 404 for any other name.</summary>
    public async Task ServeAsync(HttpContext context, string? name)
    {
        var file = string.IsNullOrEmpty(name) ? "index.html" : name;
        if (!_files.TryGetValue(file, out var bytes) || !ContentTypes.TryGetValue(Path.GetExtension(file), out var type))
        {
            await new ConsoleError(StatusCodes.Status404NotFound, "ResourceNotFoundException", "The console has no such page.").WriteAsync(context).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = type;
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }
}
