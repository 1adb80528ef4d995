namespace EventLoop.Backends;

/// <summary>
/// The runtime's path: TCP runs on the runtime's socket engine (<see cref="Net.TcpOp"/>), completions arrive through
/// the cross-thread ring, and the idle loop sleeps on an event with the next timer's deadline. Any OS.
/// </summary>
internal sealed class RuntimeBackend : Backend
{
    private readonly ManualResetEventSlim _signal = new(false, 0);

    public override LoopBackend Kind => LoopBackend.Runtime;

    /// <summary>A set left over from an earlier wait can only cause a spurious return; resetting before the flag is raised keeps it rare.</summary>
    public override void PrepareWait() => _signal.Reset();

    public override void Wait(long timeoutTicks)
    {
        int ms = timeoutTicks < 0 ? -1 : (int)Math.Min(int.MaxValue, (timeoutTicks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond);
        _signal.Wait(ms);
    }

    public override void Wake() => _signal.Set();

    public override void Dispose() => _signal.Dispose();
}
