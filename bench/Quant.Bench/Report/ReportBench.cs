using System.Diagnostics;
using System.Text.Json;
using Quant.Bench.Backtest;
using Quant.Bench.Infrastructure;
using Trading.Backtest.Engine;
using Trading.Backtest.Report;
using Trading.Backtest.Results;
using Trading.Core.Market;
using Trading.Core.Strategies;
using Trading.Core.Strategies.BuiltIn;

namespace Quant.Bench.Report;

/// <summary>
/// Time to render the backtest HTML report (data island + embedded lightweight-charts + page) for one year of hourly
/// candles (8,784) and for 100,000, from a real sma-cross result, against the baseline of serialising the same
/// candles, equity curve and trades with <see cref="JsonSerializer"/> the obvious way (objects, reflection).
/// The value is milliseconds per report at 8,784 candles (lower is better): the best of 7 timed runs after 40 warm-up
/// renders (tier-1 JIT), since the machine is shared.
/// </summary>
internal sealed class ReportBench : IBench
{
    public string Name => "report";

    public string Description => "HTML backtest report render time (8,784 and 100k candles) vs JsonSerializer on the same data";

    public int Run(string[] args)
    {
        var extra = new Dictionary<string, object?>();
        double value = 0, baseline = 0;
        foreach (var n in new[] { 8_784, 100_000 })
        {
            var candles = SyntheticCandles.Generate(n);
            var result = BacktestEngine.Run(candles, SmaCross.Descriptor, ParameterSet.From(("fast", 10), ("slow", 30)), new BacktestOptions());
            var html = HtmlReport.RenderBacktest(result, candles);
            var naive = Naive(result, candles);
            for (var w = 0; w < 40; w++)
            {
                HtmlReport.RenderBacktest(result, candles);
                Naive(result, candles);
            }

            var render = Best(7, () => HtmlReport.RenderBacktest(result, candles).Length);
            var json = Best(7, () => Naive(result, candles).Length);
            Console.WriteLine($"{n,8:N0} candles, {result.Trades.Count} trades  report {render:F2} ms ({html.Length / 1024.0:F0} KiB)   JsonSerializer {json:F2} ms ({naive.Length / 1024.0:F0} KiB)");
            extra[$"render_{n}_ms"] = render;
            extra[$"json_serializer_{n}_ms"] = json;
            extra[$"html_{n}_bytes"] = html.Length;
            if (n == 8_784)
            {
                value = render;
                baseline = json;
            }
        }

        BenchReport.Print("report", value, "ms", baseline, extra);
        return 0;
    }

    private static string Naive(BacktestResult result, Candle[] candles) =>
        JsonSerializer.Serialize(new { candles, equity = result.Equity, trades = result.Trades, metrics = result.Metrics });

    private static double Best(int repeats, Func<int> run)
    {
        var best = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            if (run() == 0)
            {
                throw new InvalidOperationException("empty output");
            }

            best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
        }

        return best;
    }
}
