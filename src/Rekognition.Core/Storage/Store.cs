using Rekognition.Core.Catalog;
using Rekognition.Core.Models;

namespace Rekognition.Core.Storage;

/// <summary>
/// The one store: the catalog, the object layout (<see cref="StoreLayout"/>) and every artifact write. Model
/// packages, evaluation reports and a training's staged files all go through it, addressed by keys; the catalog keeps those
/// keys, never machine paths. One instance per store root and client.
/// </summary>
internal sealed class Store
{
    private readonly LocalFileCache? _localFiles;

    // The embedded defaults (a SQLite catalog and the local folder); DI passes the registered ones.
    public Store(string root)
        : this(root, new LocalFolderObjectStore(root), new Catalog.Sqlite.SqliteCatalog(root))
    {
    }

    public Store(string root, IObjectStore objects, ICatalog catalog, LocalFileCache? localFiles = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(catalog);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        Catalog = catalog;
        Objects = objects;
        // The local folder's objects are files already; any other store's are copied beneath the root when a file is needed.
        _localFiles = objects is LocalFolderObjectStore ? null : localFiles ?? new LocalFileCache(Path.Combine(Root, StoreLayout.LocalCachePrefix));
    }

    /// <summary>The store's root folder (operator configuration).</summary>
    public string Root { get; }

    /// <summary>The catalog: projects, datasets, versions and the keys of their artifacts.</summary>
    public ICatalog Catalog { get; }

    /// <summary>The model versions of the catalog, with the keys of their packages.</summary>
    public IVersionCatalog Versions => Catalog.Versions;

    /// <summary>Feedback recording (its tables are made on first use).</summary>
    public IFeedbackCatalog Feedback => Catalog.Feedback;

    /// <summary>The artifacts, addressed by <see cref="StoreLayout"/> keys.</summary>
    public IObjectStore Objects { get; }

    /// <summary>Reads and validates the model package at <paramref name="package"/>; its ONNX file is a local file (the read-through cache for a remote store).</summary>
    /// <exception cref="Model.InvalidParameterException">The package is missing or not valid.</exception>
    public async Task<ModelPackage> LoadModelPackageAsync(string package, CancellationToken cancellationToken = default)
    {
        var model = await GetLocalFileAsync(StoreLayout.ModelFile(package), cancellationToken).ConfigureAwait(false);
        var metadata = await GetLocalFileAsync(StoreLayout.ModelMetadata(package), cancellationToken).ConfigureAwait(false);
        if (model is null || metadata is null)
        {
            var missing = model is null ? ModelPackage.ModelFileName : ModelPackage.MetadataFileName;
            throw new Model.InvalidParameterException($"The model package's {missing} is missing from the store or cannot be read there.");
        }

        return ModelPackage.Load(model, metadata);
    }

    /// <summary>
    /// A local file holding the object at <paramref name="key"/> (read it only): the object's own file in the local folder,
    /// a read-through cached copy (<see cref="LocalFileCache"/>) for any other object store; null when there is no such object.
    /// </summary>
    public Task<string?> GetLocalFileAsync(string key, CancellationToken cancellationToken = default) =>
        _localFiles is null ? Objects.GetLocalFileAsync(key, cancellationToken) : _localFiles.GetAsync(key, ct => Objects.OpenReadAsync(key, ct), cancellationToken);

    /// <summary>Stores <paramref name="source"/> (a package anywhere) as the package at <paramref name="package"/> and returns it as stored.</summary>
    public async Task<ModelPackage> PutModelPackageAsync(string package, ModelPackage source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        // The model first, the metadata last: a package with its metadata is whole (and the catalog points at it only afterwards).
        await Objects.PutFileAsync(StoreLayout.ModelFile(package), source.ModelPath, cancellationToken).ConfigureAwait(false);
        _localFiles?.Invalidate(StoreLayout.ModelFile(package));
        await PutModelMetadataAsync(package, source.Metadata, cancellationToken).ConfigureAwait(false);
        return await LoadModelPackageAsync(package, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces the metadata of the package at <paramref name="package"/> (validated first) and returns the package.</summary>
    public async Task<ModelPackage> UpdateModelMetadataAsync(string package, ModelPackageMetadata metadata, CancellationToken cancellationToken = default)
    {
        await PutModelMetadataAsync(package, metadata, cancellationToken).ConfigureAwait(false);
        return await LoadModelPackageAsync(package, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies every object beneath <paramref name="fromPrefix"/> of <paramref name="from"/> (this store or another) beneath <paramref name="toPrefix"/> here.</summary>
    public async Task CopyPrefixAsync(IObjectStore from, string fromPrefix, string toPrefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        await foreach (var key in from.ListAsync(fromPrefix, cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var source = await from.OpenReadAsync(key, cancellationToken).ConfigureAwait(false)
                                     ?? throw new FileNotFoundException("An object of the source model's package disappeared while it was copied.");
            await Objects.PutAsync(toPrefix + key[fromPrefix.Length..], source, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PutModelMetadataAsync(string package, ModelPackageMetadata metadata, CancellationToken cancellationToken)
    {
        var key = StoreLayout.ModelMetadata(package);
        await Objects.PutAsync(key, stream =>
        {
            ModelPackage.WriteMetadata(stream, metadata);
            return Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        _localFiles?.Invalidate(key); // written again (the assumed thresholds after evaluation): the cached copy is stale
    }
}
