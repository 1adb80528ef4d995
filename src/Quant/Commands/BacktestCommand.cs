using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Quant.Cli;
using Trading.Backtest.Engine;
using Trading.Backtest.Metrics;
using Trading.Backtest.Report;
using Trading.Backtest.Results;

namespace Quant.Commands;

/// <summary>
/// <c>quant backtest</c>: one strategy over historical candles on this thread, then a summary (a table, or one JSON
/// object with <c>--json</c>) and, with <c>--out DIR</c>, summary.json, trades.csv and equity.csv.
/// </summary>
internal static class BacktestCommand
{
    private static readonly Option<string?> Out = new("--out", "-o") { Description = "Write summary.json, trades.csv and equity.csv into this folder" };
    private static readonly Option<bool> Json = new("--json") { Description = "Print one JSON object instead of the table" };
    private static readonly Option<string?> Report = ReportOption.Create("backtest");

    public static Command Create(CliContext context)
    {
        var strategy = new StrategyOptions(context, "backtest");
        var data = new DataOptions(context, "backtest");
        var command = new Command("backtest", "Replay historical candles through a strategy and report what it would have earned");
        strategy.AddTo(command);
        data.AddTo(command);
        var fill = new FillModelOptions();
        fill.AddTo(command);
        foreach (var option in new Option[] { Out, Json, Report })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => Run(parse, strategy, data, fill));
        return command;
    }

    private static int Run(ParseResult parse, StrategyOptions strategy, DataOptions data, FillModelOptions fill)
    {
        var choice = strategy.Resolve(parse);
        var options = fill.Build(parse);
        var (series, first) = data.LoadWithHistory(parse);
        if (first == series.Candles.Length)
        {
            throw CliException.BadData($"no candles in {data.Path(parse)} between --from and --to");
        }

        // The strategy's declared warm-up comes from the candles just before --from when the data has them.
        var warmUp = choice.Descriptor.WarmUpCandles(choice.Parameters);
        var candles = series.Candles.AsSpan(BacktestWindow.Start(first, warmUp)).ToArray();
        var clock = Stopwatch.StartNew();
        var result = BacktestEngine.Run(candles, choice.Descriptor, choice.Parameters, options);
        var elapsed = clock.Elapsed.TotalMilliseconds;

        if (parse.GetValue(Out) is { } dir)
        {
            ResultFiles.Write(dir, result, elapsed);
        }

        if (ReportOption.Path(parse, Report, "backtest", parse.GetValue(Out)) is { } report)
        {
            ReportOption.Write(parse, report, p => HtmlReport.WriteBacktest(p, result, candles, ReportOption.Title(data.Path(parse))));
        }

        var output = parse.InvocationConfiguration.Output;
        if (parse.GetValue(Json))
        {
            output.WriteLine(SummaryJson.ToJson(result, elapsed));
        }
        else
        {
            PrintTable(output, result, elapsed);
        }

        return ExitCodes.Ok;
    }

    private static void PrintTable(TextWriter output, BacktestResult r, double elapsedMs)
    {
        var m = r.Metrics;
        // TextTable, not Spectre.Console: this is the start-up path (see TextTable).
        var table = new TextTable("metric", "value>") { Title = $"{r.Strategy} {r.Parameters}" };
        void Row(string name, string value) => table.AddRow(name, value);
        Row("Period", $"{SummaryJson.Iso(m.Start)} → {SummaryJson.Iso(m.End)}");
        Row("Candles", m.WarmUpCandles == 0
            ? m.Candles.ToString("N0", CultureInfo.InvariantCulture)
            : $"{m.Candles.ToString("N0", CultureInfo.InvariantCulture)} ({m.WarmUpCandles.ToString("N0", CultureInfo.InvariantCulture)} warm-up{(m.StatsCandles == m.Candles ? ", in the statistics" : ", not in the statistics")})");
        Row("Trades (closed / open)", $"{m.Trades} / {m.OpenTrades}");
        Row("Final equity", Money(m.FinalEquity));
        Row("Equity peak", Money(m.EquityPeak));
        Row("Total return", Pct(m.TotalReturnPct));
        Row("CAGR", Pct(m.CagrPct));
        Row("Buy & hold return", Pct(m.BuyHoldReturnPct));
        Row("Volatility (ann.)", Share(m.VolatilityPct));
        var basis = m.Returns == ReturnsBasis.Daily ? "daily returns, √365" : "per-candle returns";
        Row($"Sharpe ({basis})", Num(m.Sharpe));
        Row($"Sortino ({basis})", Num(m.Sortino));
        Row("Calmar", Num(m.Calmar));
        Row("Max drawdown", $"{Pct(-m.MaxDrawdownPct)} over {Duration(m.MaxDrawdownDurationMs)}");
        Row("Average drawdown", Pct(-m.AvgDrawdownPct));
        Row("Win rate", Share(m.WinRatePct));
        Row("Best / worst / avg trade", $"{Pct(m.BestTradePct)} / {Pct(m.WorstTradePct)} / {Pct(m.AvgTradePct)}");
        Row("Profit factor", double.IsPositiveInfinity(m.ProfitFactor) ? "∞" : Num(m.ProfitFactor));
        Row("Expectancy", Money(m.Expectancy));
        Row("Avg / max trade duration", $"{Duration(m.AvgTradeDurationMs)} / {Duration(m.MaxTradeDurationMs)}");
        Row("Exposure", Share(m.ExposurePct));
        Row("Fees", Money(m.Fees));
        if (r.RejectedOrders.Count > 0)
        {
            Row("Rejected orders", $"{r.RejectedOrders.Count} (first: {r.RejectedOrders[0].Reason})");
        }

        if (r.OpenOrders.Count > 0)
        {
            Row("Orders still open", r.OpenOrders.Count.ToString(CultureInfo.InvariantCulture));
        }

        Row("Order list hash", r.OrderListHash[..16]);
        Row("Engine time", $"{elapsedMs:F1} ms ({m.Candles / (elapsedMs / 1000) / 1e6:F1} M candles/s)");
        table.Write(output);
    }

    private static string Money(double v) => v.ToString("N2", CultureInfo.InvariantCulture);

    private static string Pct(double v) => v.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) + " %";

    private static string Share(double v) => v.ToString("0.00", CultureInfo.InvariantCulture) + " %";

    private static string Num(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Duration(long ms)
    {
        var t = TimeSpan.FromMilliseconds(ms);
        return t.TotalDays >= 1 ? $"{t.TotalDays:F1} d" : $"{t.TotalHours:F1} h";
    }
}
