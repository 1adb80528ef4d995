using System.Runtime.InteropServices;
using static EventLoop.Backends.IoUringAbi;

namespace EventLoop.Backends;

/// <summary>
/// A provided-buffer ring (IORING_REGISTER_PBUF_RING, Linux 5.19+) that multishot receives pick their buffers from:
/// <see cref="Count"/> buffers of <see cref="Size"/> bytes in native memory (never moved by the GC). A buffer is the
/// kernel's while it sits in the ring, ours from the CQE that names it until <see cref="Recycle"/> hands it back.
/// Loop thread only (the tail is ours: written with release after the entry).
/// </summary>
internal sealed unsafe class UringBufferRing
{
    public const ushort Group = 0;

    private readonly int _ringFd;
    private readonly RingBuf* _ring;
    private readonly byte* _data;
    private readonly ushort _mask;
    private ushort _tail;
    private int _released;

    private UringBufferRing(int ringFd, RingBuf* ring, byte* data, int count, int size)
    {
        _ringFd = ringFd;
        _ring = ring;
        _data = data;
        Count = count;
        Size = size;
        _mask = (ushort)(count - 1);
    }

    public int Count { get; }

    public int Size { get; }

    /// <summary>Buffers handed out by CQEs and not recycled yet (tests: a multishot never loses one).</summary>
    public int Outstanding { get; private set; }

    /// <summary>Registers a ring of <paramref name="count"/> (a power of two, ≤ 32768) buffers; null with the reason if the kernel refuses.</summary>
    public static UringBufferRing? TryCreate(int ringFd, int count, int size, out string? reason)
    {
        var ring = (RingBuf*)NativeMemory.AlignedAlloc((nuint)(count * sizeof(RingBuf)), 4096);
        NativeMemory.Clear(ring, (nuint)(count * sizeof(RingBuf)));
        var data = (byte*)NativeMemory.AlignedAlloc((nuint)count * (nuint)size, 64);
        var reg = new BufReg { RingAddr = (ulong)ring, RingEntries = (uint)count, Bgid = Group };
        if (Libc.Syscall(Libc.SysIoUringRegister, ringFd, (nint)RegisterPbufRing, (nint)(&reg), 1, 0, 0) < 0)
        {
            reason = Libc.Describe("IORING_REGISTER_PBUF_RING", Marshal.GetLastPInvokeError());
            NativeMemory.AlignedFree(ring);
            NativeMemory.AlignedFree(data);
            return null;
        }

        var r = new UringBufferRing(ringFd, ring, data, count, size);
        for (int i = 0; i < count; i++)
        {
            r.Add((ushort)i);
        }

        r.Publish();
        reason = null;
        return r;
    }

    /// <summary>The memory of buffer <paramref name="bid"/>.</summary>
    public byte* Buffer(int bid) => _data + ((nint)bid * Size);

    /// <summary>A CQE handed buffer <paramref name="bid"/> to us.</summary>
    public void Taken() => Outstanding++;

    /// <summary>Gives buffer <paramref name="bid"/> back to the kernel.</summary>
    public void Recycle(int bid)
    {
        Outstanding--;
        Add((ushort)bid);
        Publish();
    }

    /// <summary>
    /// Unregisters the ring; frees the memory only when <paramref name="safe"/> (no receive can still pick a buffer),
    /// else leaves it allocated, as the kernel tears a ring down asynchronously.
    /// </summary>
    public void Release(bool safe)
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        var reg = new BufReg { Bgid = Group };
        Libc.Syscall(Libc.SysIoUringRegister, _ringFd, (nint)UnregisterPbufRing, (nint)(&reg), 1, 0, 0);
        if (safe)
        {
            NativeMemory.AlignedFree(_ring);
            NativeMemory.AlignedFree(_data);
        }
    }

    private void Add(ushort bid)
    {
        // Field by field: entry 0's Resv is the ring's tail, which a whole-struct write would clobber.
        RingBuf* e = &_ring[_tail & _mask];
        e->Addr = (ulong)Buffer(bid);
        e->Len = (uint)Size;
        e->Bid = bid;
        _tail++;
    }

    private void Publish() => Volatile.Write(ref ((ushort*)_ring)[7], _tail); // io_uring_buf_ring.tail: offset 14
}
