using System.Runtime.InteropServices;

namespace EventLoop.Queues;

/// <summary>A long alone on its own cache lines, so that producer and consumer counters never false-share.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedLong
{
    [FieldOffset(64)]
    public long Value;
}
