namespace EventLoop.Queues;

/// <summary>
/// Multi-producer, single-consumer queue that carries finished work from other threads to the loop thread.
/// <see cref="Enqueue"/> is safe from any number of threads; <see cref="DrainTo"/> and <see cref="HasPending"/> belong
/// to the single consumer. FIFO per producer.
/// </summary>
internal interface ICrossThreadQueue<T>
{
    /// <summary>Adds an item. Never drops it (how a bounded queue waits for room is the implementation's contract).</summary>
    void Enqueue(T item);

    /// <summary>Moves up to <c>destination.Length</c> published items, oldest first, into <paramref name="destination"/>; returns how many.</summary>
    int DrainTo(Span<T> destination);

    /// <summary>True if the next item is published (ready for <see cref="DrainTo"/>).</summary>
    bool HasPending { get; }
}
