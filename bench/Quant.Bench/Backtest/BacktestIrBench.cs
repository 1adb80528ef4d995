using Quant.Bench.Infrastructure;
using Trading.Backtest.Engine;
using Trading.Core.Market;
using Trading.Core.Strategies;
using Trading.Core.Strategies.BuiltIn;

namespace Quant.Bench.Backtest;

/// <summary>
/// The backtest bench's engine and raw loop counted in instructions (Ir) under callgrind, which does not depend on the
/// machine's load the way wall time does. Run it as
/// <c>QUANT_CALLGRIND=1 valgrind --tool=callgrind --instr-atstart=no dotnet bench/Quant.Bench/bin/Release/net10.0/Quant.Bench.dll backtest-ir [candles]</c>:
/// the warm-up (until the hot methods are at tier 1) runs uninstrumented, then each measured run is counted alone
/// (counters zeroed before it, dumped after it). The same options as <c>backtest</c>'s headline case (sma-cross 10/30,
/// all in, fee 0, fills and trades recorded, no equity curve), over two series of the same length: the bench's random
/// walk, and a flat one on which the averages never cross (no order at all). Per candle = the flat run's Ir / candles;
/// per fill = (the walk's Ir − the flat run's) / the walk's fills. Instructions are not time (no cache misses, no
/// mispredictions), but a change that removes instructions is seen here whatever else runs on the machine.
/// <para>
/// Trap (valgrind 3.19, .NET 10): under valgrind the JIT's optimizing compile of several hot methods fails and is
/// redone with MinOpts (DOTNET_JitStdOutFile + DOTNET_JitDisasm shows "Tier1 … compiling with minopt" for Step,
/// SmaCross.OnCandle, EquityStatistics.Add, the raw loop and decimal internals; DOTNET_EnableAVX=0,
/// DOTNET_EnableWriteXorExecute=0, --smc-check=all do not help), and runs under it crash now and then with a
/// NullReferenceException. So the counts are of less optimized code than the machine runs: compare them only with
/// each other (same valgrind, same runtime), before and after a change, and retry a crashed run. Without valgrind the
/// bench prints the same split in wall time (best of 5, load-dependent), and the bytes allocated per fill.
/// </para>
/// <para>
/// Per method: callgrind names no JIT code, but with <c>DOTNET_PerfMapEnabled=3</c> the runtime writes
/// /tmp/perf-PID.map (start, size, name of every method it compiles) and with <c>--dump-instr=yes</c> callgrind keeps
/// each instruction's address, so the walk's dump (.1) less the flat run's (.2), summed per map range, gives each
/// method's own Ir per fill, and the calls= lines its callers. Trap: under valgrind OpenSSL takes its software SHA-256
/// path, ~1,000 Ir per fill that on the machine (SHA extensions) are a few dozen cycles; it shows as one unnamed
/// function in libcrypto.
/// </para>
/// </summary>
internal sealed class BacktestIrBench : IBench
{
    private const int Fast = 10;
    private const int Slow = 30;

    public string Name => "backtest-ir";

    public string Description => "instructions per candle and per fill of the engine and the raw loop (run under valgrind --tool=callgrind; see the class doc)";

    public int Run(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        var underValgrind = Environment.GetEnvironmentVariable("QUANT_CALLGRIND") == "1";
        var control = underValgrind ? CallgrindControl.Create() : null;
        if (underValgrind && control is null)
        {
            Console.Error.WriteLine("QUANT_CALLGRIND=1 but not under valgrind: QUANT_CALLGRIND=1 valgrind --tool=callgrind --instr-atstart=no dotnet bench/Quant.Bench/bin/Release/net10.0/Quant.Bench.dll backtest-ir [candles] (x86-64 Linux)");
            return 2;
        }

        // Without valgrind the same split in wall time: the best of 5 runs each, in nanoseconds (load-dependent).
        Func<Action, long> count = control is not null ? control.CountInstructions : BestNanoseconds;
        var what = control is not null ? "Ir" : "ns";

        var parameters = SmaCross.Descriptor.Complete(ParameterSet.From(("fast", Fast), ("slow", Slow)));
        var walk = SyntheticCandles.Generate(n);
        var flat = Flat(n);
        var options = new BacktestOptions { InitialCash = 10_000m, FeeRate = 0m, RecordEquity = false, IntervalMs = BacktestEngine.RegularInterval(walk) };
        // Warm-up to tier 1 by rounds (the backtest bench proves the tiers with JitTierWatch, but under valgrind its
        // EventPipe listener thread fails): 30 calls promote a method, the background compiler installs the code
        // between rounds; 20 rounds of 40 calls is several times what the backtest bench needs.
        var warm = walk.AsSpan(0, 20_000).ToArray();
        for (var round = 0; round < 20; round++)
        {
            for (var w = 0; w < 40; w++)
            {
                BacktestEngine.Run(warm, SmaCross.Descriptor, parameters, options);
                RawSmaCrossLoop.Run(warm, Fast, Slow, options.FeeRate, options.InitialCash);
            }

            Thread.Sleep(100);
        }

        control?.StartInstrumenting();
        var fills = 0;
        var engineWalk = count(() => fills = BacktestEngine.Run(walk, SmaCross.Descriptor, parameters, options).FillCount);
        var flatFills = 0;
        var engineFlat = count(() => flatFills = BacktestEngine.Run(flat, SmaCross.Descriptor, parameters, options).FillCount);
        var rawWalk = count(() => RawSmaCrossLoop.Run(walk, Fast, Slow, options.FeeRate, options.InitialCash));
        var rawFlat = count(() => RawSmaCrossLoop.Run(flat, Fast, Slow, options.FeeRate, options.InitialCash));
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var rejected = BacktestEngine.Run(walk, SmaCross.Descriptor, parameters, options).RejectedOrders.Count;
        var walkBytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        allocated = GC.GetAllocatedBytesForCurrentThread();
        BacktestEngine.Run(flat, SmaCross.Descriptor, parameters, options);
        var flatBytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        allocated = GC.GetAllocatedBytesForCurrentThread();
        BacktestEngine.Run(walk, SmaCross.Descriptor, parameters, options with { RecordFills = false, RecordTrades = false });
        var bareBytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        if (flatFills != 0 || fills == 0)
        {
            throw new InvalidOperationException($"expected fills on the walk only: {fills} on the walk, {flatFills} on the flat series");
        }

        double perCandle = engineFlat / (double)n, perFill = (engineWalk - engineFlat) / (double)fills;
        double rawPerCandle = rawFlat / (double)n, rawPerFill = (rawWalk - rawFlat) / (double)fills;
        Console.WriteLine($"{n:N0} candles, {fills:N0} fills and {rejected:N0} rejected orders on the walk");
        Console.WriteLine($"engine   {what}: walk {engineWalk:N0}, flat {engineFlat:N0}   per candle {perCandle:F1}   per fill {perFill:F1}   walk per candle {engineWalk / (double)n:F1}");
        Console.WriteLine($"engine allocates {walkBytes:N0} B on the walk ({(walkBytes - flatBytes) / (double)fills:F1} B per fill), {flatBytes:N0} B on the flat series, {bareBytes:N0} B on the walk keeping neither fills nor trades");
        Console.WriteLine($"raw loop {what}: walk {rawWalk:N0}, flat {rawFlat:N0}   per candle {rawPerCandle:F1}   per fill {rawPerFill:F1}   walk per candle {rawWalk / (double)n:F1}");
        BenchReport.Print(
            "backtest-ir",
            engineWalk / (double)n,
            $"{what}/candle",
            rawWalk / (double)n,
            new Dictionary<string, object?>
            {
                ["engine_ir_per_candle_no_fill"] = perCandle,
                ["engine_ir_per_fill"] = perFill,
                ["raw_ir_per_candle_no_fill"] = rawPerCandle,
                ["raw_ir_per_fill"] = rawPerFill,
                ["engine_bytes_per_fill"] = (walkBytes - flatBytes) / (double)fills,
                ["fills"] = fills,
                ["candles"] = n,
            });
        return 0;
    }

    private static long BestNanoseconds(Action measured)
    {
        var best = long.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            measured();
            best = Math.Min(best, (long)System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalNanoseconds);
        }

        return best;
    }

    /// <summary>Candles at one price: both averages equal it exactly (sums of one value a few bits wide), so they never cross.</summary>
    private static Candle[] Flat(int count)
    {
        var candles = new Candle[count];
        const long start = 1_704_067_200_000;
        for (var i = 0; i < count; i++)
        {
            candles[i] = new Candle(start + (i * 3_600_000L), 40_000, 40_000, 40_000, 40_000, 1);
        }

        return candles;
    }
}
