using System.CommandLine;
using Trading.Backtest.Engine;

namespace Quant.Cli;

/// <summary>
/// The account and fill-model options every backtesting command shares (<c>backtest</c>, <c>optimize</c>):
/// <c>--cash</c>, <c>--fee</c>, <c>--slippage-bps</c>, <c>--trade-on-close</c>, <c>--lot-step</c>,
/// <c>--allow-short</c>, <c>--close-at-end</c>. Create one per command, add it with <see cref="AddTo"/>, and turn the
/// parse into <see cref="BacktestOptions"/> with <see cref="Build"/>; out-of-range values are usage errors naming the flag.
/// </summary>
internal sealed class FillModelOptions
{
    public Option<decimal> Cash { get; } = new("--cash") { Description = "starting cash in the quote asset", DefaultValueFactory = _ => 10_000m };

    public Option<decimal> Fee { get; } = new("--fee") { Description = "commission per fill, fraction of notional", DefaultValueFactory = _ => 0.001m };

    public Option<double> Slippage { get; } = new("--slippage-bps") { Description = "slippage against the trader on market/stop fills, basis points", DefaultValueFactory = _ => 0 };

    public Option<bool> TradeOnClose { get; } = new("--trade-on-close") { Description = "fill market orders at the signal candle's close instead of the next open" };

    public Option<decimal?> LotStep { get; } = new("--lot-step") { Description = "quantity step; quantities round down to it (default 0.00001, BTCUSDT's)" };

    public Option<bool> AllowShort { get; } = new("--allow-short") { Description = "let sells open short positions (margin = equity, no leverage)" };

    public Option<bool> CloseAtEnd { get; } = new("--close-at-end") { Description = "close an open position at the last close" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Cash, Fee, Slippage, TradeOnClose, LotStep, AllowShort, CloseAtEnd })
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

        var options = new BacktestOptions
        {
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
