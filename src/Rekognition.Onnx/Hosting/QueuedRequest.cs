using Rekognition.Core.Inference;
using Rekognition.Imaging.Preprocessing;

namespace Rekognition.Onnx.Hosting;

/// <summary>
/// A request waiting in <see cref="RequestBatcher"/>'s queue while every unit is busy: its image already preprocessed
/// into a pooled tensor (so it is ready the moment a unit frees), its own completion (results, errors and cancellation
/// stay per request), and when it stops waiting. Whoever takes it out of the queue owns its tensor and its count in the pool.
/// </summary>
internal sealed class QueuedRequest
{
    public QueuedRequest(float[] tensor, InputGeometry geometry, long deadline)
    {
        Tensor = tensor;
        Geometry = geometry;
        Deadline = deadline;
        Node = new LinkedListNode<QueuedRequest>(this);
    }

    public TaskCompletionSource<IReadOnlyList<LabelPrediction>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The preprocessed image (rented; its first image-size elements hold it).</summary>
    public float[] Tensor { get; }

    /// <summary>Where the image was placed in the input.</summary>
    public InputGeometry Geometry { get; }

    /// <summary>When it fails as overloaded if no unit has taken it (a <see cref="TimeProvider"/> timestamp).</summary>
    public long Deadline { get; }

    /// <summary>Its place in the queue (in a list while queued), so a cancelled or expired request leaves in O(1).</summary>
    public LinkedListNode<QueuedRequest> Node { get; }

    /// <summary>Removed once the request is taken or leaves, so a cancelled caller's registration does not outlive it.</summary>
    public CancellationTokenRegistration Cancellation { get; set; }
}
