namespace EventLoop;

/// <summary>The idle wait: spinning per <see cref="WaitStrategy"/>, then the backend's blocking wait, and the wake-up from other threads.</summary>
public sealed partial class Loop
{
    private void Wait(long timeoutTicks)
    {
        switch (WaitStrategy)
        {
            case WaitStrategy.BusySpin:
                Spin(timeoutTicks, -1);
                break;
            case WaitStrategy.SpinThenBlock:
                if (!Spin(timeoutTicks, _spinTicks))
                {
                    Block(timeoutTicks < 0 ? -1 : Math.Max(0, timeoutTicks - _spinTicks));
                }

                break;
            default:
                Block(timeoutTicks);
                break;
        }
    }

    /// <summary>Spins until work arrives, the deadline passes, or <paramref name="budgetTicks"/> (-1: forever) elapse; true unless the budget ran out.</summary>
    private bool Spin(long timeoutTicks, long budgetTicks)
    {
        long start = _clock.GetTicks();
        long deadline = timeoutTicks < 0 ? long.MaxValue : start + timeoutTicks;
        long giveUp = budgetTicks < 0 ? long.MaxValue : start + budgetTicks;
        while (true)
        {
            if (_queue.HasPending || Volatile.Read(ref _stop) != 0 || _backend.PollForSpin())
            {
                return true;
            }

            long now = _clock.GetTicks();
            if (now >= deadline)
            {
                return true;
            }

            if (now >= giveUp)
            {
                return false;
            }

            Thread.SpinWait(20);
        }
    }

    /// <summary>
    /// Sleeps in the backend's wait (an event, <c>io_uring_enter</c> or <c>epoll_wait</c>), which also returns when
    /// I/O it drives finishes. No lost wake-up: the sleeping flag is raised (full fence) before the queue and stop flag
    /// are re-checked, and a producer publishes, fences, then reads the flag (<see cref="Wake"/>); so either this
    /// re-check sees the item or the producer sees the flag and wakes the backend (sets the event, writes the eventfd).
    /// Stale wake-ups are dropped before the flag is raised where the backend can (the event), or cost one spurious
    /// return (an eventfd written just after the loop woke).
    /// </summary>
    private void Block(long timeoutTicks)
    {
        _backend.PrepareWait();
        Interlocked.Exchange(ref _sleeping, 1);
        if (!_queue.HasPending && Volatile.Read(ref _stop) == 0)
        {
            _backend.Wait(timeoutTicks);
        }

        Volatile.Write(ref _sleeping, 0);
    }

    private void Wake()
    {
        Interlocked.MemoryBarrier(); // order the publish before reading the flag (store-load)
        if (Volatile.Read(ref _sleeping) != 0 && Interlocked.Exchange(ref _sleeping, 0) != 0)
        {
            _backend.Wake();
        }
    }
}
