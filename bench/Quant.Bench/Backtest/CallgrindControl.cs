using System.Runtime.InteropServices;

namespace Quant.Bench.Backtest;

/// <summary>
/// Valgrind client requests from managed code, for counting instructions (Ir) around one measured call under
/// callgrind. The requests are a magic instruction sequence (valgrind.h's <c>VALGRIND_DO_CLIENT_REQUEST</c>: four
/// <c>rol rdi</c> that rotate it by 128 bits, a no-op, then <c>xchg rbx, rbx</c>) that C code inlines from a macro:
/// here it is assembled once into an executable page and called through a function pointer. Outside valgrind the
/// sequence does nothing and returns the default, 0. x86-64 Linux only (<see cref="IsSupported"/>).
/// Trap: callgrind counts every thread (the JIT's background compiler and the GC included) while collecting.
/// </summary>
internal sealed class CallgrindControl
{
    // Vg_ClientRequest / Vg_CallgrindClientRequest codes (valgrind.h, callgrind.h): VG_USERREQ_TOOL_BASE('C','T') + n.
    private const ulong RunningOnValgrind = 0x1001;
    private const ulong DumpStats = 0x43540000;
    private const ulong ZeroStats = 0x43540001;
    private const ulong StartInstrumentation = 0x43540004;

    // mov rax, rdi; xor edx, edx; rol rdi,3; rol rdi,13; rol rdi,61; rol rdi,51; xchg rbx, rbx; mov rax, rdx; ret
    private static readonly byte[] Code =
    [
        0x48, 0x89, 0xF8, 0x31, 0xD2,
        0x48, 0xC1, 0xC7, 0x03, 0x48, 0xC1, 0xC7, 0x0D, 0x48, 0xC1, 0xC7, 0x3D, 0x48, 0xC1, 0xC7, 0x33,
        0x48, 0x87, 0xDB, 0x48, 0x89, 0xD0, 0xC3,
    ];

    private readonly ClientRequest _request;
    private readonly ulong[] _args = new ulong[6];
    private int _dumps;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate ulong ClientRequest(ulong[] args);

    private CallgrindControl(ClientRequest request) => _request = request;

    public static bool IsSupported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary>The control, or null when not on x86-64 Linux or not running under valgrind.</summary>
    public static CallgrindControl? Create()
    {
        if (!IsSupported)
        {
            return null;
        }

        const int protReadWriteExec = 7, mapPrivateAnonymous = 0x22;
        var page = Mmap(0, 4096, protReadWriteExec, mapPrivateAnonymous, -1, 0);
        if (page == -1)
        {
            return null;
        }

        Marshal.Copy(Code, 0, page, Code.Length);
        var control = new CallgrindControl(Marshal.GetDelegateForFunctionPointer<ClientRequest>(page));
        return control.Request(RunningOnValgrind) != 0 ? control : null;
    }

    /// <summary>Turns instrumentation on (a no-op when already on; run under <c>--instr-atstart=no</c> to warm up fast).</summary>
    public void StartInstrumenting() => Request(StartInstrumentation);

    /// <summary>
    /// The instructions executed by <paramref name="measured"/>: the counters are zeroed before it and dumped after it,
    /// and the dump's totals read back from callgrind's output file (the default name, callgrind.out.PID.N in the
    /// working directory: do not pass --callgrind-out-file).
    /// </summary>
    public long CountInstructions(Action measured)
    {
        Request(ZeroStats);
        measured();
        Request(DumpStats);
        _dumps++;
        var file = Path.Combine(Directory.GetCurrentDirectory(), $"callgrind.out.{Environment.ProcessId}.{_dumps}");
        foreach (var line in File.ReadLines(file))
        {
            if (line.StartsWith("totals:", StringComparison.Ordinal) || line.StartsWith("summary:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no totals in {file}");
    }

    private ulong Request(ulong code)
    {
        Array.Clear(_args);
        _args[0] = code;
        return _request(_args);
    }

    [DllImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static extern nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);
}
