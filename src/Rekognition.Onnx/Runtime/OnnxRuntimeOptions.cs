using Rekognition.Imaging.Decoding;

namespace Rekognition.Onnx.Runtime;

/// <summary>How ONNX Runtime sessions are created and how a running model's inference units behave.</summary>
public sealed class OnnxRuntimeOptions
{
    /// <summary>The configuration section these options are usually bound from.</summary>
    public const string SectionName = "Rekognition:Onnx";

    /// <summary>
    /// Execution providers in order of preference, by short name ("CUDA", "TensorRT", "DirectML", "OpenVINO",
    /// "CoreML", "ROCm", "CPU", ...) or ONNX Runtime's own name ("CUDAExecutionProvider"). Each available one is
    /// registered in this order; ONNX Runtime gives a node to the first that supports it. The CPU provider is
    /// always there last. Empty: CPU only.
    /// </summary>
    public List<string> ExecutionProviders { get; set; } = new();

    /// <summary>What happens when a preferred provider is not in this ONNX Runtime build or fails to load.</summary>
    public MissingProviderBehavior MissingProvider { get; set; } = MissingProviderBehavior.FallbackToCpu;

    /// <summary>The GPU (or other device) the accelerated providers use.</summary>
    public int DeviceId { get; set; }

    /// <summary>
    /// Intra-op threads of each session (one session per inference unit). 0: the machine's cores divided by
    /// the model's MaxInferenceUnits, at least 1, so a fully scaled model does not oversubscribe the CPU.
    /// </summary>
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// Whether ONNX Runtime's worker threads spin while waiting for work: lower latency for one caller,
    /// wasted cores when several units share a small machine.
    /// </summary>
    public bool AllowThreadSpinning { get; set; } = true;

    /// <summary>How long a request waits for a free inference unit before it fails with ProvisionedThroughputExceededException.</summary>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Requests that may wait per inference unit in service; beyond that they fail at once. With batching a waiting
    /// batch counts as one, so up to this many batches of <see cref="MaxBatchSize"/> requests wait per unit.
    /// </summary>
    public int QueueLengthPerUnit { get; set; } = 4;

    /// <summary>
    /// How long a model above its MinInferenceUnits must go without a request having to wait before it
    /// gives one unit back (then again after each further such period).
    /// </summary>
    public TimeSpan ScaleDownAfterIdle { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Greater than zero (with <see cref="MaxBatchSize"/> above 1 and a model whose batch axis is dynamic): requests are
    /// batched, work-conservingly. A request that finds an inference unit free runs at once, never waiting for others;
    /// only while every unit is busy do requests queue, preprocessed, and the next unit to free runs its share of them
    /// as one batch. Zero: every request runs on its own at batch 1. At most <see cref="QueueTimeout"/>, which bounds how
    /// long a queued request waits either way. (The value is no longer a wait: a fixed wait slowed single callers.)
    /// </summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>The most requests one batch takes (1: no batching). Models whose batch axis is fixed run at batch 1 whatever this says.</summary>
    public int MaxBatchSize { get; set; } = 8;

    /// <summary>
    /// The image decoder running models and training use (the <see cref="IImageDecoderFactory"/> registered in DI, unless the
    /// host registers its own factory or <see cref="IImageDecoder"/>): Auto, the fastest present
    /// (libjpeg-turbo, then SkiaSharp, then the fully managed ImageSharp), or one by name, e.g. ImageSharp where no
    /// native decoder loads (<c>Rekognition__Onnx__ImageDecoder=ImageSharp</c>).
    /// </summary>
    public ImageDecoderKind ImageDecoder { get; set; } = ImageDecoderKind.Auto;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the wrong one.</summary>
    public void Validate()
    {
        if (BatchWindow < TimeSpan.Zero || BatchWindow > QueueTimeout)
        {
            throw new ArgumentException($"OnnxRuntimeOptions.BatchWindow must be between 0 and QueueTimeout ({QueueTimeout.TotalMilliseconds:0} ms) (got {BatchWindow.TotalMilliseconds} ms).");
        }

        if (MaxBatchSize is < 1 or > MaxBatchSizeLimit)
        {
            throw new ArgumentException($"OnnxRuntimeOptions.MaxBatchSize must be between 1 and {MaxBatchSizeLimit} (got {MaxBatchSize}).");
        }

        if (IntraOpThreads < 0)
        {
            throw new ArgumentException($"OnnxRuntimeOptions.IntraOpThreads must be 0 (automatic) or more (got {IntraOpThreads}).");
        }

        if (QueueTimeout < TimeSpan.Zero || QueueLengthPerUnit < 0)
        {
            throw new ArgumentException("OnnxRuntimeOptions.QueueTimeout and QueueLengthPerUnit must not be negative.");
        }

        if (ScaleDownAfterIdle <= TimeSpan.Zero)
        {
            throw new ArgumentException("OnnxRuntimeOptions.ScaleDownAfterIdle must be positive.");
        }

        if (!Enum.IsDefined(ImageDecoder))
        {
            throw new ArgumentException($"OnnxRuntimeOptions.ImageDecoder {ImageDecoder} is not a known decoder.");
        }

        if (!Enum.IsDefined(MissingProvider))
        {
            throw new ArgumentException($"OnnxRuntimeOptions.MissingProvider {MissingProvider} is not a known behaviour.");
        }

        foreach (var name in ExecutionProviders)
        {
            ExecutionProviderNames.ToOrtName(name);
        }
    }

    /// <summary>The largest <see cref="MaxBatchSize"/> allowed: each unit keeps input and output buffers for a full batch.</summary>
    public const int MaxBatchSizeLimit = 256;

    /// <summary>Whether requests are batched at all (a window and room for more than one request).</summary>
    internal bool Batching => BatchWindow > TimeSpan.Zero && MaxBatchSize > 1;

    /// <summary>The intra-op threads a session gets when a model runs on at most <paramref name="maxUnits"/> units.</summary>
    public int ThreadsPerSession(int maxUnits) =>
        IntraOpThreads > 0 ? IntraOpThreads : Math.Max(1, Environment.ProcessorCount / Math.Max(1, maxUnits));
}
