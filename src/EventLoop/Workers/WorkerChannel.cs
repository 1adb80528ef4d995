namespace EventLoop.Workers;

/// <summary>
/// A loop → worker channel for work that must not run on the loop (the SQLite journal writer). The loop thread
/// <see cref="TryWrite"/>s items into a preallocated single-producer ring: no lock, no allocation, never blocks (false
/// when full: the caller decides, e.g. refuse the order). One dedicated worker thread sleeps on a real signal, drains
/// what is there in batches of up to <c>batchSize</c> (copied into one preallocated array, so the handler sees one span),
/// and hands each batch to the handler. Acknowledgements come back as loop completions: after each batch the worker
/// publishes the highest sequence done and notifies the loop, whose <see cref="WorkerAck{T}"/> callback then runs on the
/// loop thread (cumulative, coalesced).
/// <para>Sequences: the n-th item written has sequence n (from 1). "Intent durable before the order leaves": write the
/// intent, keep its sequence, send the order once <see cref="AckedThrough"/> reaches it.</para>
/// <para>Liveness: while items are unacknowledged the channel holds an active notifier wait, so
/// <see cref="RunMode.UntilDone"/> runs until the worker caught up; with nothing outstanding it holds nothing.</para>
/// <para>Threads: <see cref="TryWrite"/>, <see cref="Complete"/> on the loop thread (or the thread owning the loop while
/// no Run is in progress); the handler on the worker thread only. A handler that throws faults the channel: later
/// writes return false and the worker stops. <see cref="Dispose"/> completes the channel and joins the worker.</para>
/// </summary>
public sealed class WorkerChannel<T> : IDisposable
{
    private static readonly Callback<WorkerChannel<T>> OnAckCallback = OnAck;

    private readonly Loop _loop;
    private readonly T[] _ring;
    private readonly T[] _batch;
    private readonly int _mask;
    private readonly BatchHandler<T> _handler;
    private readonly WorkerAck<T>? _onAck;
    private readonly Notifier _acks;
    private readonly Completion _ackWait = new();
    private readonly ManualResetEventSlim _signal = new(false, 0);
    private readonly Thread _worker;
    private long _written;       // producer (loop) only; published by _head
    private long _head;          // items published to the worker
    private long _tail;          // items taken by the worker (their slots are free)
    private long _acked;         // highest sequence the handler finished
    private long _ackedSeen;     // loop side: what the last ack callback reported
    private int _sleeping;
    private int _completed;
    private Exception? _error;
    private bool _errorReported;

    /// <param name="loop">The loop that writes and receives acknowledgements.</param>
    /// <param name="capacity">Ring slots, a power of two: items written and not yet taken by the worker.</param>
    /// <param name="batchSize">Most items handed to the handler at once.</param>
    /// <param name="handler">Runs on the worker thread, one batch at a time, in write order.</param>
    /// <param name="onAck">Runs on the loop thread as batches finish.</param>
    /// <param name="name">The worker thread's name.</param>
    public WorkerChannel(Loop loop, int capacity, int batchSize, BatchHandler<T> handler, WorkerAck<T>? onAck = null, string name = "loop-worker")
    {
        ArgumentNullException.ThrowIfNull(loop);
        ArgumentNullException.ThrowIfNull(handler);
        if (capacity < 2 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be a power of two >= 2");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _loop = loop;
        _ring = new T[capacity];
        _batch = new T[Math.Min(batchSize, capacity)];
        _mask = capacity - 1;
        _handler = handler;
        _onAck = onAck;
        _acks = new Notifier(loop);
        _worker = new Thread(Work) { IsBackground = true, Name = name };
        _worker.Start();
    }

    /// <summary>Items written so far (the sequence of the last one).</summary>
    public long Written => _written;

    /// <summary>Highest sequence the worker finished (readable from any thread).</summary>
    public long AckedThrough => Volatile.Read(ref _acked);

    /// <summary>The handler's failure, once faulted.</summary>
    public Exception? Error => Volatile.Read(ref _error);

    /// <summary>
    /// Copies <paramref name="item"/> into the ring for the worker; false (nothing written) when the ring is full, the
    /// channel completed or faulted. <paramref name="sequence"/> is the item's sequence. Allocation-free, lock-free.
    /// </summary>
    public bool TryWrite(in T item, out long sequence)
    {
        _loop.CheckThread();
        sequence = 0;
        long head = _head;
        if (Volatile.Read(ref _completed) != 0 || Volatile.Read(ref _error) is not null || head - Volatile.Read(ref _tail) >= _ring.Length)
        {
            return false;
        }

        _ring[(int)head & _mask] = item;
        Volatile.Write(ref _head, head + 1);
        sequence = ++_written;
        if (_ackWait.State != CompletionState.Active)
        {
            _acks.Wait(_ackWait, this, OnAckCallback); // outstanding items keep the loop alive until acknowledged
        }

        Interlocked.MemoryBarrier(); // publish before reading the flag (store-load), as Loop.Wake
        if (Volatile.Read(ref _sleeping) != 0 && Interlocked.Exchange(ref _sleeping, 0) != 0)
        {
            _signal.Set();
        }

        return true;
    }

    /// <summary>Stops accepting items; the worker handles what is queued, then exits.</summary>
    public void Complete()
    {
        Volatile.Write(ref _completed, 1);
        _signal.Set();
    }

    /// <summary>Completes the channel and waits for the worker to finish what was queued.</summary>
    public void Dispose()
    {
        Complete();
        _worker.Join();
        _signal.Dispose();
    }

    private static CallbackAction OnAck(WorkerChannel<T> ch, Loop loop, Completion c, in CompletionResult r)
    {
        if (r.IsCanceled)
        {
            return CallbackAction.Disarm;
        }

        long acked = Volatile.Read(ref ch._acked);
        var error = Volatile.Read(ref ch._error);
        bool reportError = error is not null && !ch._errorReported;
        if (acked != ch._ackedSeen || reportError)
        {
            ch._ackedSeen = acked;
            ch._errorReported |= reportError;
            ch._onAck?.Invoke(ch, acked, reportError ? error : null);
        }

        if (c.State == CompletionState.Active)
        {
            return CallbackAction.Disarm; // onAck wrote more items, which re-armed the wait already
        }

        return acked == ch._written || error is not null ? CallbackAction.Disarm : CallbackAction.Rearm;
    }

    private void Work()
    {
        long tail = 0;
        while (true)
        {
            long head = Volatile.Read(ref _head);
            if (head == tail)
            {
                if (Volatile.Read(ref _completed) != 0)
                {
                    return;
                }

                Sleep(tail);
                continue;
            }

            int n = (int)Math.Min(head - tail, _batch.Length);
            for (int i = 0; i < n; i++)
            {
                int slot = (int)(tail + i) & _mask;
                _batch[i] = _ring[slot];
                _ring[slot] = default!;
            }

            tail += n;
            Volatile.Write(ref _tail, tail); // the slots are free for the loop again
            try
            {
                _handler(_batch.AsSpan(0, n));
            }
            catch (Exception e)
            {
                Volatile.Write(ref _error, e);
                _acks.Notify();
                return;
            }
            finally
            {
                Array.Clear(_batch, 0, n);
            }

            Volatile.Write(ref _acked, tail);
            _acks.Notify();
        }
    }

    /// <summary>Sleeps on the signal with the loop's no-lost-wake-up protocol (flag raised, then the ring re-checked).</summary>
    private void Sleep(long tail)
    {
        _signal.Reset();
        Interlocked.Exchange(ref _sleeping, 1);
        if (Volatile.Read(ref _head) == tail && Volatile.Read(ref _completed) == 0)
        {
            // The worker thread sleeps here, never the loop thread: the loop only sets the signal.
            _signal.Wait();
        }

        Volatile.Write(ref _sleeping, 0);
    }
}
