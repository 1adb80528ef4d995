using System.Runtime.CompilerServices;

namespace EventLoop.Net;

/// <summary>
/// <c>await new LoopSwitch(loop)</c> moves an async method onto the loop thread (after an await that finished
/// elsewhere, e.g. a DNS lookup). Never completes inline off the loop: the continuation is posted, and runs in a loop
/// callback.
/// </summary>
internal readonly struct LoopSwitch(Loop loop) : ICriticalNotifyCompletion
{
    public bool IsCompleted => loop.IsLoopThread;

    public LoopSwitch GetAwaiter() => this;

    public void GetResult()
    {
    }

    public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

    public void UnsafeOnCompleted(Action continuation)
        => loop.Post(new Completion(), continuation, static (run, _, _, in _) =>
        {
            run();
            return CallbackAction.Disarm;
        });
}
