namespace EventLoop.Queues;

/// <summary>Which cross-thread queue a loop uses. The ring is the default (faster in <c>loop-post</c>).</summary>
internal enum QueueKind
{
    Ring,
    Channel,
}
