using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Rekognition.Benchmarks.Datasets;
using Rekognition.Core;
using Rekognition.Core.Editing;
using Rekognition.Core.Labeling;
using Rekognition.Imaging.Decoding;
using Rekognition.Server.Console;
using Rekognition.Server.Console.Api;
using SkiaSharp;

namespace Rekognition.Benchmarks.Server;

/// <summary>
/// The console's server time on a 250,000-entry dataset, through its API handlers (no network): the gallery's first
/// page (target at most 300 ms), a thumbnail once cached (at most 20 ms) and a label save (at most 50 ms); and a
/// thumbnail another host (or this one after a restart) reads back from the store's objects, its memory cache empty.
/// </summary>
[MemoryDiagnoser]
public class ConsoleBenchmarks
{
    private const string Photo = "s3://bench/photos/photo.png";

    private string _root = null!;
    private ServiceProvider _services = null!;
    private EntriesApi _entries = null!;
    private Thumbnails _thumbnails = null!;
    private string _arn = null!;
    private int _save;

    [GlobalSetup]
    public async Task Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "rk-bench-console", Guid.NewGuid().ToString("N"));
        DatasetCatalogData.WriteManifest(Path.Combine(_root, "buckets", "bench", "train.manifest"), 250_000);
        var photo = Path.Combine(_root, "buckets", "bench", "photos", "photo.png");
        Directory.CreateDirectory(Path.GetDirectoryName(photo)!);
        await File.WriteAllBytesAsync(photo, Scene());
        _services = new ServiceCollection()
            .AddRekognitionCustomLabels(o =>
            {
                o.StoreRoot = Path.Combine(_root, "store");
                o.BucketsRoot = Path.Combine(_root, "buckets");
                o.CheckImages = false;
            })
            .BuildServiceProvider();
        _arn = await DatasetCatalogData.ImportAsync(_services.GetRequiredService<RekognitionCustomLabelsClient>());
        var editor = _services.GetRequiredService<IDatasetEditorClient>();
        await editor.SaveEntryAsync(_arn, $$"""{"source-ref":"{{Photo}}"}""");
        _thumbnails = new Thumbnails(editor, ImageDecoderFactory.Default);
        _entries = new EntriesApi(editor, _services.GetRequiredService<ILabelingClient>(), _thumbnails, TimeProvider.System);
        await _thumbnails.GetAsync(_arn, Photo, CancellationToken.None);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _thumbnails.Dispose();
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Description = "Gallery: first page of 50 (GET /console/api/entries)")]
    public async Task<long> GalleryFirstPage()
    {
        var context = Context($"?dataset={Uri.EscapeDataString(_arn)}&limit=50", null);
        await _entries.ListAsync(context);
        return context.Response.Body.Length;
    }

    [Benchmark(Description = "Thumbnail, cached")]
    public async Task<int> CachedThumbnail() => (await _thumbnails.GetAsync(_arn, Photo, CancellationToken.None)).Length;

    [Benchmark(Description = "Thumbnail, stored (memory cache empty: another host or a restart)")]
    public async Task<int> StoredThumbnail()
    {
        using var fresh = new Thumbnails(_services.GetRequiredService<IDatasetEditorClient>(), ImageDecoderFactory.Default);
        return (await fresh.GetAsync(_arn, Photo, CancellationToken.None)).Length;
    }

    [Benchmark(Description = "Label save (POST /console/api/entry)")]
    public async Task<long> LabelSave()
    {
        var label = _save++ % 2 == 0 ? "cat" : "dog";
        var context = Context(string.Empty, $$"""{"dataset":"{{_arn}}","sourceRef":"{{Photo}}","labels":["{{label}}"],"boxes":[{"label":"{{label}}","left":10,"top":10,"width":50,"height":40}]}""");
        await _entries.SaveAsync(context);
        if (context.Response.StatusCode != 200)
        {
            throw new InvalidOperationException("The save was refused.");
        }

        return context.Response.Body.Length;
    }

    private static DefaultHttpContext Context(string query, string? body)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        if (body is not null)
        {
            context.Request.Method = "POST";
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    private static byte[] Scene()
    {
        using var bitmap = new SKBitmap(800, 600);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Gray);
            using var paint = new SKPaint { Color = SKColors.Red };
            canvas.DrawRect(100, 100, 300, 200, paint);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
