namespace EventLoop.Workers;

/// <summary>Processes one batch of items on a <see cref="WorkerChannel{T}"/>'s worker thread (e.g. one SQLite transaction). The span is valid only during the call.</summary>
public delegate void BatchHandler<T>(ReadOnlySpan<T> batch);
