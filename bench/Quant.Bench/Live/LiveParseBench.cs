using System.Diagnostics;
using System.Text;
using Quant.Bench.Infrastructure;
using Trading.Live.Binance;

namespace Quant.Bench.Live;

/// <summary>
/// The engine's own share of a market message, without the socket: <see cref="MarketMessageParser"/> on the same
/// bookTicker and trade frames <c>live-ingest</c> streams (alternating), in a loop on one thread, after a warm-up that
/// takes every method to tier-1 JIT. Reports ns and bytes allocated per message; the baseline is the same loop over
/// <see cref="System.Text.Json.Utf8JsonReader"/> alone (tokenising every frame, no field handling), so the ratio is what the
/// field handling costs on top of reading the JSON at all. For instructions per message run it under
/// <c>perf stat -e instructions:u</c> and divide by the messages printed (the warm-up included).
/// </summary>
internal sealed class LiveParseBench : IBench
{
    private static readonly byte[][] Frames =
    [
        Encoding.UTF8.GetBytes("""{"stream":"btcusdt@bookTicker","data":{"u":400900217,"s":"BTCUSDT","b":"42283.58000000","B":"1.21000000","a":"42283.59000000","A":"0.66000000"}}"""),
        Encoding.UTF8.GetBytes("""{"stream":"btcusdt@trade","data":{"e":"trade","E":1704067200123,"s":"BTCUSDT","t":3341234501,"p":"42283.58000000","q":"0.01200000","T":1704067200122,"m":true,"M":true}}"""),
    ];

    public string Name => "live-parse";

    public string Description => "ns and B per market message in MarketMessageParser (bookTicker/trade), vs tokenising with Utf8JsonReader alone";

    public int Run(string[] args)
    {
        var n = args.Length > 0 && int.TryParse(args[0], out var m) ? m : 5_000_000;
        Parse(200_000); // tier-1 JIT for everything on the path (30 calls + the background compile, many times over)
        Tokenise(200_000);
        Thread.Sleep(200);
        Parse(200_000);
        Tokenise(200_000);

        var parse = Best(() => Parse(n));
        var tokens = Best(() => Tokenise(n));
        var a0 = GC.GetAllocatedBytesForCurrentThread();
        Parse(n);
        var bytes = (GC.GetAllocatedBytesForCurrentThread() - a0) / (double)n;
        Console.WriteLine($"live-parse: {n:N0} messages (bookTicker/trade alternating), best of 3");
        Console.WriteLine($"  MarketMessageParser      {parse * 1e9 / n,8:F1} ns/message   {bytes:F2} B/message");
        Console.WriteLine($"  Utf8JsonReader tokens    {tokens * 1e9 / n,8:F1} ns/message");
        BenchReport.Print(Name, parse * 1e9 / n, "ns/message", tokens * 1e9 / n, [new("bytes_per_message", bytes)]);
        return 0;
    }

    private static double Best(Func<double> run)
    {
        var best = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            best = Math.Min(best, run());
        }

        return best;
    }

    private static double Parse(int n)
    {
        var message = default(MarketMessage);
        double sink = 0;
        var t0 = Stopwatch.GetTimestamp();
        for (var i = 0; i < n; i++)
        {
            MarketMessageParser.Parse(Frames[i & 1], i, ref message);
            sink += message.Kind == Trading.Live.Binance.MarketMessageKind.Trade ? message.Trade.Price : message.Quote.BidPrice;
        }

        var elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        GC.KeepAlive(sink);
        return elapsed;
    }

    private static double Tokenise(int n)
    {
        long sink = 0;
        var t0 = Stopwatch.GetTimestamp();
        for (var i = 0; i < n; i++)
        {
            var reader = new System.Text.Json.Utf8JsonReader(Frames[i & 1]);
            while (reader.Read())
            {
                sink += (long)reader.TokenType;
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        GC.KeepAlive(sink);
        return elapsed;
    }
}
