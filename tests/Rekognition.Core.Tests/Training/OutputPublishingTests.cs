using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core.Model;
using Rekognition.Core.Services.Training;
using Rekognition.Core.Storage;
using Rekognition.Core.Storage.Confinement;
using Rekognition.Core.Tests.Management;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Training;

public class OutputPublishingTests
{
    [Test]
    public async Task StagedFiles_ArePublishedSeveralAtOnce_NeverMoreThanTheBound_AndArriveWhole()
    {
        OverlapRecordingBuckets? buckets = null;
        await using var store = new TestStore(new AspectRatioRuntime(), new AspectRatioTrainer(), null, services =>
            services.AddSingleton<IBucketStore>(sp => buckets = new OverlapRecordingBuckets(
                new FolderBucketStore(new ConfinedDirectory(sp.GetRequiredService<RekognitionOptions>().ResolvedBucketsRoot)))));
        var project = await TrainedModels.ProjectAsync(store);

        var version = await TrainedModels.TrainAsync(store, project);

        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);
        Assert.That(buckets!.MaxOverlap, Is.GreaterThan(1), "the validation results (three files) are written at once");
        Assert.That(buckets.MaxOverlap, Is.LessThanOrEqualTo(TrainingLocations.MaxParallelPublishes));
        var summary = store.LocalPath(version.ManifestSummary!.S3Object!);
        Assert.That(await File.ReadAllBytesAsync(summary), Is.EqualTo(buckets.Written[$"{version.ManifestSummary.S3Object!.Bucket}/{version.ManifestSummary.S3Object.Name}"]));
    }

    [Test]
    public async Task ValidationResults_AreStreamedIntoTheObjectStore_WithNoLocalCopyInTheStoreFolder()
    {
        // The objects live outside the store folder, as a remote store's do: whatever validation wrote locally would show there.
        ValidationPutWatcher? objects = null;
        await using var store = new TestStore(new AspectRatioRuntime(), new AspectRatioTrainer(), null, services =>
            services.AddSingleton<IObjectStore>(sp =>
            {
                var storeRoot = sp.GetRequiredService<RekognitionOptions>().StoreRoot;
                return objects = new ValidationPutWatcher(new LocalFolderObjectStore(Path.Combine(Path.GetDirectoryName(storeRoot)!, "objects")), storeRoot);
            }));
        var project = await TrainedModels.ProjectAsync(store);

        var version = await TrainedModels.TrainAsync(store, project);

        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);
        Assert.That(objects!.Puts.Keys.Select(k => k[(k.LastIndexOf('/') + 1)..]), Is.SupersetOf(ValidationPutWatcher.Names), "the three validation results were put");
        Assert.That(objects.Puts.Values.SelectMany(f => f), Is.Empty, "files of the store folder with a validation result's name while the results were put");
        Assert.That(await File.ReadAllBytesAsync(store.LocalPath(version.ManifestSummary!.S3Object!)), Is.Not.Empty, "the summary is published from the object store");
    }

    /// <summary>An object store that, at each put of a validation result, notes the files of the store folder named like one.</summary>
    private sealed class ValidationPutWatcher(IObjectStore inner, string storeRoot) : ForwardingObjectStore(inner)
    {
        public static readonly string[] Names =
        [
            StoreLayout.StagedFileName(StagedFile.ManifestSummary),
            StoreLayout.StagedFileName(StagedFile.TrainingValidationManifest),
            StoreLayout.StagedFileName(StagedFile.TestingValidationManifest),
        ];

        public System.Collections.Concurrent.ConcurrentDictionary<string, string[]> Puts { get; } = new();

        public override Task PutAsync(string key, Func<Stream, Task> write, CancellationToken cancellationToken = default)
        {
            if (Names.Contains(key[(key.LastIndexOf('/') + 1)..]))
            {
                // A catalog that is not a file beneath it (PostgreSQL) may leave the store folder uncreated: then it holds nothing.
                Puts[key] = !Directory.Exists(storeRoot) ? [] : Directory.EnumerateFiles(storeRoot, "*", SearchOption.AllDirectories)
                    .Where(f => Names.Any(n => Path.GetFileName(f).Contains(n, StringComparison.Ordinal))).ToArray();
            }

            return base.PutAsync(key, write, cancellationToken);
        }
    }

    /// <summary>The folder buckets, each write held a moment so that writes issued together overlap; records the most at once and what was written.</summary>
    private sealed class OverlapRecordingBuckets(IBucketStore inner) : IBucketStore
    {
        private int _current;
        private int _max;

        public int MaxOverlap => Volatile.Read(ref _max);

        public System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> Written { get; } = new();

        public Task<BucketRead> OpenReadAsync(string bucket, string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(bucket, key, cancellationToken);

        public Task<bool> ExistsAsync(string bucket, string key, CancellationToken cancellationToken = default) => inner.ExistsAsync(bucket, key, cancellationToken);

        public async Task WriteAsync(string bucket, string key, Func<Stream, Task> write, CancellationToken cancellationToken = default)
        {
            var now = Interlocked.Increment(ref _current);
            int seen;
            while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
            {
            }

            try
            {
                await Task.Delay(150, cancellationToken);
                await inner.WriteAsync(bucket, key, async stream =>
                {
                    using var copy = new MemoryStream();
                    await write(copy);
                    Written[$"{bucket}/{key}"] = copy.ToArray();
                    copy.Position = 0;
                    await copy.CopyToAsync(stream, cancellationToken);
                }, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _current);
            }
        }
    }
}
