namespace EventLoop.Workers;

/// <summary>
/// Runs on the loop thread when a <see cref="WorkerChannel{T}"/>'s worker finished items: every item with a sequence
/// up to <paramref name="ackedThrough"/> is processed (acks are cumulative and coalesce: one call may cover many
/// batches). <paramref name="error"/> is set once, when the handler threw: the channel is then faulted and the batch
/// that threw is not acknowledged.
/// </summary>
public delegate void WorkerAck<T>(WorkerChannel<T> channel, long ackedThrough, Exception? error);
