using Rekognition.Core.Inference;
using Rekognition.Imaging.Preprocessing;
using Rekognition.Onnx.Detection.Decoding;

namespace Rekognition.Onnx.Hosting;

/// <summary>
/// One batch while it forms and runs: the requests that joined it (each with its own completion, so results, errors and
/// cancellation stay per request), the buffer they write their images into, and when it must close. Its fields are
/// changed under <see cref="RequestBatcher"/>'s lock, except each request's own slot, which only that request writes.
/// </summary>
internal sealed class PendingBatch
{
    public PendingBatch(BatchBuffer buffer)
    {
        Buffer = buffer;
        Members = new Member[buffer.Capacity];
    }

    public BatchBuffer Buffer { get; }

    public Member[] Members { get; }

    /// <summary>Requests that joined.</summary>
    public int Count { get; set; }

    /// <summary>Requests that have written their image (or failed to).</summary>
    public int Written { get; set; }

    /// <summary>No request joins any more: it is full or its window has passed.</summary>
    public bool Closed { get; set; }

    /// <summary>Handed to a unit (once closed and every image written).</summary>
    public bool Dispatched { get; set; }

    /// <summary>When it closes at the latest (a <see cref="TimeProvider"/> timestamp).</summary>
    public long CloseAt { get; set; }

    /// <summary>Ready for the next use: nothing joined, nothing held.</summary>
    public void Reset()
    {
        Array.Clear(Members, 0, Count);
        Count = 0;
        Written = 0;
        Closed = false;
        Dispatched = false;
    }

    /// <summary>One request in a batch.</summary>
    internal struct Member
    {
        public TaskCompletionSource<IReadOnlyList<LabelPrediction>> Completion;

        /// <summary>Where its image was placed; meaningful once <see cref="Ready"/>.</summary>
        public InputGeometry Geometry;

        /// <summary>Its image is in its slot (false when preprocessing failed and the request already has its error).</summary>
        public bool Ready;

        /// <summary>Removed when the run ends, so a cancelled caller's registration does not outlive the batch.</summary>
        public CancellationTokenRegistration Cancellation;
    }
}
