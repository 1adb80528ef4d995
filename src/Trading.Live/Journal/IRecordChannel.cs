namespace Trading.Live.Journal;

/// <summary>
/// The seam between the loop thread (one producer) and the journal's worker thread (one consumer). Today
/// <see cref="SpscRecordChannel{T}"/>; when the event loop's own loop → worker channel lands (issue 11 item 6) it replaces
/// this with a thin adapter, and nothing else in the journal changes.
/// <para>Contract: <see cref="TryWrite"/> never blocks and never allocates; it returns false when the channel is full
/// (the record is not taken). <see cref="TryRead"/> and <see cref="WaitToRead"/> belong to the consumer.</para>
/// </summary>
internal interface IRecordChannel<T>
    where T : struct
{
    /// <summary>Copies <paramref name="item"/> in; false, changing nothing, when full. Producer thread only.</summary>
    bool TryWrite(in T item);

    /// <summary>Takes the oldest item, if any. Consumer thread only.</summary>
    bool TryRead(out T item);

    /// <summary>Blocks the consumer until an item may be there or the channel is closed. Consumer thread only.</summary>
    void WaitToRead();

    /// <summary>True once <see cref="Close"/> was called: the consumer drains what is left and ends.</summary>
    bool IsClosed { get; }

    /// <summary>Wakes the consumer for good: from now on <see cref="WaitToRead"/> returns at once. Any thread.</summary>
    void Close();
}
