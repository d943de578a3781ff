using Microsoft.Extensions.Logging;
using Rekognition.Core.Storage;
using Rekognition.Core.Training;

namespace Rekognition.Core.Services.Training;

/// <summary>
/// Keeps a training's checkpoint in the object store while the trainer writes it into its local scratch folder: a
/// checkpoint changed on disk is put (atomically) at <see cref="StoreLayout.TrainerCheckpoint"/> within a poll, so a host
/// that takes the training over after this one dies finds it there, whatever the object store (a shared folder, S3).
/// Trainers replace their checkpoint by renaming a whole file over it, so a read never sees half of one.
/// </summary>
internal sealed class CheckpointMirror : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly IObjectStore _objects;
    private readonly string _key;
    private readonly string _file;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private (DateTime Written, long Length) _uploaded;

    private CheckpointMirror(IObjectStore objects, string trainingKey, string trainerDirectory, ILogger logger)
    {
        _objects = objects;
        _key = StoreLayout.TrainerCheckpoint(trainingKey);
        _file = Path.Combine(TrainingJob.CheckpointDirectoryFor(trainerDirectory), TrainingJob.CheckpointFileName);
        _logger = logger;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>
    /// Puts the stored checkpoint of <paramref name="trainingKey"/> (if any) into <paramref name="trainerDirectory"/>, where
    /// the trainer looks for one, then mirrors the trainer's checkpoints back until disposed.
    /// </summary>
    public static async Task<CheckpointMirror> StartAsync(IObjectStore objects, string trainingKey, string trainerDirectory, ILogger logger, CancellationToken ct)
    {
        var file = Path.Combine(TrainingJob.CheckpointDirectoryFor(trainerDirectory), TrainingJob.CheckpointFileName);
        await using (var stored = await objects.OpenReadAsync(StoreLayout.TrainerCheckpoint(trainingKey), ct).ConfigureAwait(false))
        {
            if (stored is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                var partial = file + ".fetching";
                await using (var local = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    await stored.CopyToAsync(local, ct).ConfigureAwait(false);
                }

                File.Move(partial, file, overwrite: true);
            }
        }

        var mirror = new CheckpointMirror(objects, trainingKey, trainerDirectory, logger);
        mirror._uploaded = mirror.Current(); // what was fetched is stored already
        return mirror;
    }

    private (DateTime Written, long Length) Current()
    {
        var info = new FileInfo(_file);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : default;
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, _stop.Token).ConfigureAwait(false);
                var current = Current();
                if (current == default || current == _uploaded)
                {
                    continue;
                }

                await _objects.PutFileAsync(_key, _file, _stop.Token).ConfigureAwait(false);
                _uploaded = current;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (IOException ex)
            {
                // Replaced or removed while read (the trainer's next save, or its end): the next poll tries again.
                TrainingLog.CheckpointNotMirrored(_logger, ex);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
