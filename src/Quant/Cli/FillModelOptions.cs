using System.CommandLine;
using Trading.Backtest.Engine;

namespace Quant.Cli;

/// <summary>
/// The account and fill-model options every backtesting command shares (<c>backtest</c>, <c>optimize</c>):
/// <c>--cash</c>, <c>--fee</c>, <c>--slippage-bps</c>, <c>--trade-on-close</c>, <c>--lot-step</c>,
/// <c>--allow-short</c>, <c>--close-at-end</c>, <c>--fee-asset</c>, <c>--warmup-in-stats</c>, <c>--returns</c>. Create one per command, add it with <see cref="AddTo"/>, and turn the
/// parse into <see cref="BacktestOptions"/> with <see cref="Build"/>; out-of-range values are usage errors naming the flag.
/// </summary>
internal sealed class FillModelOptions
{
    public Option<decimal> Cash { get; } = new("--cash") { Description = "Starting cash in the quote asset", DefaultValueFactory = _ => 10_000m };

    public Option<decimal> Fee { get; } = new("--fee") { Description = "Commission per fill, fraction of notional", DefaultValueFactory = _ => 0.001m };

    public Option<double> Slippage { get; } = new("--slippage-bps") { Description = "Slippage against the trader on market/stop fills, basis points", DefaultValueFactory = _ => 0 };

    public Option<bool> TradeOnClose { get; } = new("--trade-on-close") { Description = "Fill market orders at the signal candle's close instead of the next open" };

    public Option<decimal?> LotStep { get; } = new("--lot-step") { Description = "Quantity step; quantities round down to it (default: 0.00001, BTCUSDT's)" };

    public Option<bool> AllowShort { get; } = new("--allow-short") { Description = "Let sells open short positions (margin = equity, no leverage)" };

    public Option<bool> CloseAtEnd { get; } = new("--close-at-end") { Description = "Close an open position at the last close" };

    public Option<string> FeeAsset { get; } = new("--fee-asset")
    {
        Description = "Fee asset: quote (every fee in cash) or received (a buy's fee in the base asset, as Binance spot; long-only)",
        DefaultValueFactory = _ => "quote",
    };

    public Option<bool> WarmUpInStats { get; } = new("--warmup-in-stats") { Description = "Count the strategy's warm-up candles in the statistics" };

    public Option<string> Returns { get; } = new("--returns")
    {
        Description = "Returns for Sharpe/Sortino: candle (per-candle returns) or daily (UTC-day returns, annualised with √365)",
        DefaultValueFactory = _ => "candle",
    };

    public void AddTo(Command command)
    {
        FeeAsset.AcceptOnlyFromAmong("quote", "received");
        Returns.AcceptOnlyFromAmong("candle", "daily");
        foreach (var option in new Option[] { Cash, Fee, Slippage, TradeOnClose, LotStep, AllowShort, CloseAtEnd, FeeAsset, WarmUpInStats, Returns })
        {
            command.Options.Add(option);
        }
    }

    public BacktestOptions Build(ParseResult parse)
    {
        var cash = parse.GetValue(Cash);
        var fee = parse.GetValue(Fee);
        var slippage = parse.GetValue(Slippage);
        if (cash <= 0)
        {
            throw CliException.Usage($"--cash must be positive, got {cash}");
        }

        if (fee < 0 || fee >= 1)
        {
            throw CliException.Usage($"--fee is a fraction of notional in [0, 1), got {fee}");
        }

        if (slippage < 0 || slippage >= 10_000 || !double.IsFinite(slippage))
        {
            throw CliException.Usage($"--slippage-bps must be in [0, 10000), got {slippage}");
        }

        var feeAsset = parse.GetValue(FeeAsset) == "received" ? Trading.Core.Orders.FeeAsset.Received : Trading.Core.Orders.FeeAsset.Quote;
        if (feeAsset == Trading.Core.Orders.FeeAsset.Received && parse.GetValue(AllowShort))
        {
            throw CliException.Usage("--fee-asset received models Binance spot, which has no shorts: it cannot be combined with --allow-short");
        }

        var options = new BacktestOptions
        {
            FeeAsset = feeAsset,
            WarmUpInStats = parse.GetValue(WarmUpInStats),
            Returns = parse.GetValue(Returns) == "daily" ? ReturnsBasis.Daily : ReturnsBasis.Candle,
            InitialCash = cash,
            FeeRate = fee,
            SlippageBps = slippage,
            TradeOnClose = parse.GetValue(TradeOnClose),
            AllowShort = parse.GetValue(AllowShort),
            CloseAtEnd = parse.GetValue(CloseAtEnd),
        };
        if (parse.GetValue(LotStep) is { } step)
        {
            if (step <= 0)
            {
                throw CliException.Usage($"--lot-step must be positive, got {step}");
            }

            options = options with { Instrument = options.Instrument with { LotStep = step, MinQuantity = step } };
        }

        return options;
    }
}
