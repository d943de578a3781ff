using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rekognition.Core.Storage;
using Rekognition.S3.Client;

namespace Rekognition.S3.Objects;

/// <summary>
/// The store's objects in one S3 bucket, each key beneath an optional prefix. A put uploads a whole body in one request,
/// which S3 makes visible whole or not at all; put-if-absent is a conditional write (<c>If-None-Match: *</c>) where the
/// server honours it (<see cref="ConditionalWritesAsync"/>); what must be a local file is a copy in a
/// <see cref="LocalFileCache"/>.
/// </summary>
internal sealed class S3ObjectStore : IObjectStore
{
    // Servers without conditional writes: put-if-absent is a look then a put, serialised per key in this process.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> LocalCreators = new(StringComparer.Ordinal);

    private static readonly Action<ILogger, string, string, Exception?> NoConditionalWrites = LoggerMessage.Define<string, string>(
        LogLevel.Warning,
        new EventId(1, "NoConditionalWrites"),
        "S3 at {Endpoint} ignores conditional writes (If-None-Match: *): put-if-absent in bucket {Bucket} is a look then a put, with exactly one winner only among the writers of this process");

    private readonly IAmazonS3 _client;
    private readonly string _prefix;
    private readonly bool _chunkEncoding;
    private readonly LocalFileCache? _localFiles;
    private readonly string _endpoint;
    private readonly Lazy<Task<bool>> _conditionalWrites;
    private readonly ILogger _logger;

    /// <param name="client">The S3 client.</param>
    /// <param name="bucket">The bucket (it must exist).</param>
    /// <param name="prefix">A key prefix for every object ('/'-separated, no leading or trailing '/'); null or empty: none.</param>
    /// <param name="chunkEncoding">Whether uploads may use the aws-chunked encoding (off for servers that do not decode it).</param>
    /// <param name="localFiles">The cache for <see cref="GetLocalFileAsync"/>; null: beneath the temporary folder.</param>
    /// <param name="endpoint">Where the client goes, for messages.</param>
    /// <param name="logger">Where a server without conditional writes is reported.</param>
    public S3ObjectStore(IAmazonS3 client, string bucket, string? prefix, bool chunkEncoding, LocalFileCache? localFiles, string endpoint, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        _client = client;
        Bucket = bucket;
        _prefix = string.IsNullOrEmpty(prefix?.Trim('/')) ? string.Empty : prefix.Trim('/') + "/";
        if (_prefix.Length > 0 && !ObjectKeys.IsKey(_prefix[..^1]))
        {
            throw new ArgumentException($"'{prefix}' is not a key prefix: empty, '.' and '..' segments, backslashes and NUL are refused.", nameof(prefix));
        }

        _chunkEncoding = chunkEncoding;
        _localFiles = localFiles;
        _endpoint = endpoint;
        _conditionalWrites = new(ProbeConditionalWritesAsync);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The bucket.</summary>
    public string Bucket { get; }

    /// <summary>The S3 key of a store key (the prefix, then the key).</summary>
    public string ObjectKey(string key)
    {
        ObjectKeys.Check(key);
        return _prefix + key;
    }

    /// <summary>
    /// Whether the server honours <c>If-None-Match: *</c> on a put (AWS does; s3rver 3.7 ignores it and overwrites):
    /// learnt once, by creating a probe object twice.
    /// </summary>
    public Task<bool> ConditionalWritesAsync(CancellationToken cancellationToken = default) => _conditionalWrites.Value.WaitAsync(cancellationToken);

    public async Task PutAsync(string key, Func<Stream, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var objectKey = ObjectKey(key);
        await using var body = await UploadBody.SpoolAsync(write, cancellationToken).ConfigureAwait(false);
        await CallAsync(() => _client.PutObjectAsync(Request(objectKey, body), cancellationToken)).ConfigureAwait(false);
        _localFiles?.Invalidate(key);
    }

    public async Task<bool> PutIfAbsentAsync(string key, Func<Stream, Task> write, bool ownerOnly = false, CancellationToken cancellationToken = default)
    {
        // ownerOnly: an object is private to the bucket's owner unless the bucket's policy says otherwise; nothing more to do.
        ArgumentNullException.ThrowIfNull(write);
        var objectKey = ObjectKey(key);
        await using var body = await UploadBody.SpoolAsync(write, cancellationToken).ConfigureAwait(false);
        if (await ConditionalWritesAsync(cancellationToken).ConfigureAwait(false))
        {
            return await PutConditionallyAsync(objectKey, body, cancellationToken).ConfigureAwait(false);
        }

        var creator = LocalCreators.GetOrAdd($"{Bucket}/{objectKey}", _ => new SemaphoreSlim(1, 1));
        await creator.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await ExistsAsync(key, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            await CallAsync(() => _client.PutObjectAsync(Request(objectKey, body), cancellationToken)).ConfigureAwait(false);
            _localFiles?.Invalidate(key);
            return true;
        }
        finally
        {
            creator.Release();
        }
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var objectKey = ObjectKey(key);
        try
        {
            var response = await CallAsync(() => _client.GetObjectAsync(Bucket, objectKey, cancellationToken)).ConfigureAwait(false);
            return new S3ObjectStream(response);
        }
        catch (AmazonS3Exception e) when (S3Failures.IsNotFound(e))
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        var objectKey = ObjectKey(key);
        try
        {
            await CallAsync(() => _client.GetObjectMetadataAsync(Bucket, objectKey, cancellationToken)).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (S3Failures.IsNotFound(e))
        {
            return false;
        }
    }

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = ObjectKey(prefix) + "/" };
        do
        {
            var response = await CallAsync(() => _client.ListObjectsV2Async(request, cancellationToken)).ConfigureAwait(false);
            foreach (var item in response.S3Objects ?? [])
            {
                yield return item.Key[_prefix.Length..];
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
        while (!string.IsNullOrEmpty(request.ContinuationToken));
    }

    public async Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var batch = new List<KeyVersion>();
        await foreach (var key in ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            batch.Add(new KeyVersion { Key = _prefix + key });
            _localFiles?.Invalidate(key);
            if (batch.Count == 1000)
            {
                await DeleteAsync(batch, cancellationToken).ConfigureAwait(false);
                batch = [];
            }
        }

        if (batch.Count > 0)
        {
            await DeleteAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<string?> GetLocalFileAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Check(key);
        var cache = _localFiles ?? throw new InvalidOperationException("This S3 object store has no local file cache.");
        return await cache.GetAsync(key, ct => OpenReadAsync(key, ct), cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> PutConditionallyAsync(string objectKey, Stream body, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            body.Position = 0;
            var request = Request(objectKey, body);
            request.IfNoneMatch = "*";
            try
            {
                await CallAsync(() => _client.PutObjectAsync(request, cancellationToken)).ConfigureAwait(false);
                return true;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                return false; // another writer created it first
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Conflict && attempt < 5)
            {
                // ConditionalRequestConflict: another conditional write of the key is in flight; its outcome decides.
                await Task.Delay(TimeSpan.FromMilliseconds(50 << attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> ProbeConditionalWritesAsync()
    {
        var probe = $"{_prefix}.probes/conditional-write-{Guid.NewGuid():N}";
        try
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var request = new PutObjectRequest { BucketName = Bucket, Key = probe, ContentBody = "probe", IfNoneMatch = "*", UseChunkEncoding = _chunkEncoding };
                try
                {
                    await CallAsync(() => _client.PutObjectAsync(request)).ConfigureAwait(false);
                }
                catch (AmazonS3Exception e) when (attempt == 1 && e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
                {
                    return true;
                }
            }

            // The second create of the same key succeeded: If-None-Match was ignored.
            NoConditionalWrites(_logger, _endpoint, Bucket, null);
            return false;
        }
        finally
        {
            await CallAsync(() => _client.DeleteObjectAsync(Bucket, probe)).ConfigureAwait(false);
        }
    }

    private async Task DeleteAsync(List<KeyVersion> keys, CancellationToken cancellationToken)
    {
        var response = await CallAsync(() => _client.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = Bucket, Objects = keys, Quiet = true }, cancellationToken))
            .ConfigureAwait(false);
        if (response.DeleteErrors is { Count: > 0 } errors)
        {
            throw new IOException($"{errors.Count} object(s) of s3://{Bucket}/ could not be deleted, the first {errors[0].Key}: {errors[0].Code} {errors[0].Message}");
        }
    }

    private PutObjectRequest Request(string objectKey, Stream body) => UploadBody.Put(Bucket, objectKey, body, _chunkEncoding);

    private async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (S3Failures.ForStore(e, Bucket, _endpoint, "Rekognition:Artifacts:Bucket") is { } failure)
        {
            throw failure;
        }
    }
}
