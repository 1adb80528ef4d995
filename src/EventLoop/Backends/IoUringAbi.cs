using System.Runtime.InteropServices;

namespace EventLoop.Backends;

/// <summary>The io_uring kernel ABI (include/uapi/linux/io_uring.h) as far as the loop uses it.</summary>
internal static class IoUringAbi
{
    public const byte OpNop = 0;
    public const byte OpPollAdd = 6;
    public const byte OpAccept = 13;
    public const byte OpAsyncCancel = 14;
    public const byte OpConnect = 16;
    public const byte OpRead = 22;
    public const byte OpSend = 26;
    public const byte OpRecv = 27;

    public const uint SetupCqSize = 1u << 3;
    public const uint SetupClamp = 1u << 4;
    public const uint SetupRDisabled = 1u << 6;
    public const uint SetupCoopTaskrun = 1u << 8;
    public const uint SetupTaskrunFlag = 1u << 9;
    public const uint SetupSingleIssuer = 1u << 12;
    public const uint SetupDeferTaskrun = 1u << 13;

    /// <summary>IOSQE_BUFFER_SELECT: the kernel picks the buffer from a provided-buffer group (sqe.buf_group).</summary>
    public const byte SqeBufferSelect = 1 << 5;

    /// <summary>IORING_RECV_MULTISHOT (in sqe.ioprio): one RECV SQE posts a CQE per arrival until it ends (no F_MORE).</summary>
    public const ushort RecvMultishot = 1 << 1;

    public const uint CqeFBuffer = 1u << 0;
    public const uint CqeFMore = 1u << 1;
    public const int CqeBufferShift = 16;

    public const uint CancelAll = 1u << 0;
    public const uint CancelAny = 1u << 2;

    public const uint RegisterPbufRing = 22;
    public const uint UnregisterPbufRing = 23;
    public const uint RegisterEnableRings = 12;

    /// <summary>struct io_uring_buf_reg (40 bytes): a provided-buffer ring to register.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct BufReg
    {
        public ulong RingAddr;
        public uint RingEntries;
        public ushort Bgid;
        public ushort Flags;
        public ulong Resv0, Resv1, Resv2;
    }

    /// <summary>struct io_uring_buf (16 bytes): one entry of a provided-buffer ring. Trap: entry 0's Resv is the ring's tail.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct RingBuf
    {
        public ulong Addr;
        public uint Len;
        public ushort Bid;
        public ushort Resv;
    }

    /// <summary>IORING_SQ_TASKRUN in the SQ ring's flags: completion work is pending and needs an enter to run (with TASKRUN_FLAG).</summary>
    public const uint SqTaskrun = 1u << 2;

    public const uint FeatSingleMmap = 1u << 0;
    public const uint FeatNoDrop = 1u << 1;
    public const uint FeatExtArg = 1u << 8;

    public const uint EnterGetEvents = 1u << 0;
    public const uint EnterExtArg = 1u << 3;

    public const long OffSqRing = 0;
    public const long OffCqRing = 0x8000000;
    public const long OffSqes = 0x10000000;

    /// <summary>struct io_sqring_offsets (40 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SqRingOffsets
    {
        public uint Head, Tail, RingMask, RingEntries, Flags, Dropped, Array, Resv1;
        public ulong UserAddr;
    }

    /// <summary>struct io_cqring_offsets (40 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct CqRingOffsets
    {
        public uint Head, Tail, RingMask, RingEntries, Overflow, Cqes, Flags, Resv1;
        public ulong UserAddr;
    }

    /// <summary>struct io_uring_params (120 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Params
    {
        public uint SqEntries, CqEntries, Flags, SqThreadCpu, SqThreadIdle, Features, WqFd, Resv0, Resv1, Resv2;
        public SqRingOffsets SqOff;
        public CqRingOffsets CqOff;
    }

    /// <summary>struct io_uring_sqe (64 bytes); the unions are named after the members the loop writes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    public struct Sqe
    {
        [FieldOffset(0)] public byte Opcode;
        [FieldOffset(1)] public byte Flags;
        [FieldOffset(2)] public ushort IoPrio;
        [FieldOffset(4)] public int Fd;
        [FieldOffset(8)] public ulong Off;      // off / addr2 (accept: addrlen pointer; connect: addrlen)
        [FieldOffset(16)] public ulong Addr;    // buffer, sockaddr, cancel target
        [FieldOffset(24)] public uint Len;
        [FieldOffset(28)] public uint OpFlags;  // msg_flags, accept_flags, poll32_events, cancel_flags
        [FieldOffset(32)] public ulong UserData;
        [FieldOffset(40)] public ushort BufIndex;
        [FieldOffset(42)] public ushort Personality;
        [FieldOffset(44)] public int FileIndex;
        [FieldOffset(48)] public ulong Addr3;
        [FieldOffset(56)] public ulong Pad2;
    }

    /// <summary>struct io_uring_cqe (16 bytes, no CQE32).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Cqe
    {
        public ulong UserData;
        public int Res;
        public uint Flags;
    }

    /// <summary>struct io_uring_getevents_arg (24 bytes), for IORING_ENTER_EXT_ARG: the wait's timeout.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GetEventsArg
    {
        public ulong SigMask;
        public uint SigMaskSize;
        public uint MinWaitUsec;
        public ulong Ts;
    }

    /// <summary>struct __kernel_timespec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct KernelTimespec
    {
        public long Sec;
        public long Nsec;
    }
}
