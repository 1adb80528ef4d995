using System.Threading.Tasks.Sources;

namespace EventLoop.Net;

/// <summary>
/// The reusable ValueTask behind one direction of a <see cref="LoopStream"/> (and the loop's small awaitables):
/// completed from a loop callback, it runs the awaiting continuation inline, on the loop thread, so that
/// SslStream's and the WebSocket's state machines move on the loop thread with no hop. One operation at a time:
/// <see cref="Reset"/> before each.
/// </summary>
internal sealed class LoopIoSource : IValueTaskSource<int>, IValueTaskSource
{
    private ManualResetValueTaskSourceCore<int> _core; // RunContinuationsAsynchronously stays false: inline continuations

    public short Version => _core.Version;

    public void Reset() => _core.Reset();

    public void SetResult(int value) => _core.SetResult(value);

    public void SetException(Exception error) => _core.SetException(error);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    int IValueTaskSource<int>.GetResult(short token) => _core.GetResult(token);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);
}
