namespace Rekognition.Onnx.Hosting;

/// <summary>
/// The queued requests one unit takes in one run, and the buffer their images are copied into. Reused from batch to
/// batch by <see cref="RequestBatcher"/>.
/// </summary>
internal sealed class PendingBatch
{
    public PendingBatch(BatchBuffer buffer)
    {
        Buffer = buffer;
        Members = new QueuedRequest[buffer.Capacity];
    }

    public BatchBuffer Buffer { get; }

    public QueuedRequest[] Members { get; }

    /// <summary>Requests taken.</summary>
    public int Count { get; set; }

    /// <summary>Ready for the next use: holds no request.</summary>
    public void Reset()
    {
        Array.Clear(Members, 0, Count);
        Count = 0;
    }
}
