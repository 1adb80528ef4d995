using Trading.Core.Orders;
using System.CommandLine;
using System.Globalization;
using Quant.Cli;
using Trading.Core.Market;
using Trading.Sim;
using Trading.Sim.Faults;

namespace Quant.Commands;

/// <summary>
/// <c>quant sim</c>: a local exchange speaking the Binance spot protocol on 127.0.0.1 (market streams, WebSocket API,
/// REST), replaying candles as a live market. Prints its endpoints, runs until Ctrl-C (or SIGTERM), then prints the
/// faults it injected. The API secret is never printed.
/// </summary>
internal static class SimCommand
{
    private static readonly Option<string> Symbol = new("--symbol") { Description = "Symbol to trade (a ...USDT pair; BTCUSDT's filters)", DefaultValueFactory = _ => "BTCUSDT" };
    private static readonly Option<int> Port = new("--port") { Description = "TCP port on 127.0.0.1 (0: pick a free one)", DefaultValueFactory = _ => 0 };
    private static readonly Option<double> Speed = new("--speed") { Description = "Market time per wall time (3600: one hour of market per second); 0: start paused, stepped through POST /sim/step (lockstep)", DefaultValueFactory = _ => 3600 };
    private static readonly Option<decimal> SpreadBps = new("--spread-bps") { Description = "Best bid/ask spread around the last price, basis points", DefaultValueFactory = _ => 0m };
    private static readonly Option<int> Warmup = new("--warmup") { Description = "Candles served as history (REST klines) before the replay starts", DefaultValueFactory = _ => 200 };
    private static readonly Option<string?> ApiKey = new("--api-key") { Description = $"API key clients must use (default: {SimOptions.DefaultApiKey})" };
    private static readonly Option<string?> ApiSecret = new("--api-secret") { Description = $"HMAC secret clients sign with (default: {SimOptions.DefaultApiSecret})" };
    private static readonly Option<decimal> Cash = new("--cash") { Description = "Starting balance in the quote asset", DefaultValueFactory = _ => 10_000m };
    private static readonly Option<string> FeeAssetOption = new("--fee-asset") { Description = "Commission asset: received (as Binance: BUY pays in base, SELL in quote) or quote (every fill in quote, as a quote-fee backtest)", DefaultValueFactory = _ => "received" };
    private static readonly Option<decimal> Fee = new("--fee") { Description = "Commission rate, maker and taker (0.001 = 0.1 %, the backtest's default)", DefaultValueFactory = _ => 0.001m };
    private static readonly Option<string> MarketFillOption = new("--market-fill") { Description = "MARKET orders fill at the touch at once (touch, as Binance) or at the next trade print (next-print, the backtest's fill)", DefaultValueFactory = _ => "touch" };
    private static readonly Option<string?> RateLimits = new("--rate-limits") { Description = "Rate-limit windows: real (wall clock, as Binance), replay (on the replay clock: per market minute) or off (counted, never refused); default real, replay with --speed 0" };
    private static readonly Option<string?> Faults = new("--faults") { Description = "Fault injection, e.g. seed=7,reject=0.05,unknown-outcome=0.01:0.5,lose-ack=0.01,lose-report=0.02,user-stall=0.01:5m,cancel-race=0.1,ratelimit=0.01:2s,ban=5,lifetime=24h,skew=-2s,drop=0.001,stall=0.01:2s,dup-exec=0.1 (see src/Trading.Sim/README.md)" };

    public static Command Create(CliContext context)
    {
        var command = new Command("sim", "Run a local exchange that speaks the Binance spot protocol, replaying candles as a live market")
        {
            Symbol, Port, Speed, SpreadBps, Warmup, ApiKey, ApiSecret, Cash, FeeAssetOption, Fee, MarketFillOption, RateLimits, Faults,
        };
        var data = new DataOptions(context, "sim", withRange: false);
        data.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            // Options (and the data) are checked before the host starts, so bad input is one line and a quick exit.
            var options = Options(parse, data);
            return QuantHost.RunAsync(parse, context, (_, stop) => RunAsync(parse, options, stop), cancel: ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, SimOptions options, CancellationToken stop)
    {
        var output = parse.InvocationConfiguration.Output;
        await using var server = await SimServer.StartAsync(options, stop).ConfigureAwait(false);
        var symbol = options.Instrument.Symbol.ToLowerInvariant();
        var interval = IntervalLabel(options.IntervalMs);
        var start = options.Candles[options.StartCandle].OpenTime;
        output.WriteLine($"quant sim: {options.Instrument.Symbol}, {options.Candles.Count} candles of {interval}, replay from {Iso(start)} at {options.Speed.ToString(CultureInfo.InvariantCulture)}x ({options.StartCandle} candles of history; rate limits {options.RateLimits.ToString().ToLowerInvariant()})");
        output.WriteLine($"  REST           {server.RestUrl}api/v3");
        output.WriteLine($"  streams        {server.StreamUrl}ws/{symbol}@kline_{interval}  (also {symbol}@trade, {symbol}@bookTicker; combined: {server.StreamUrl}stream?streams=a/b)");
        output.WriteLine($"  klines         {string.Join(", ", server.ServedIntervals)} (streams <sym>@kline_<i> and REST)");
        output.WriteLine($"  WebSocket API  {server.WebSocketApiUrl}");
        output.WriteLine($"  control        {server.RestUrl}sim/state, POST sim/step?candles=N|events=N, sim/advance?to=MS, sim/pause, sim/resume?speed=S, GET sim/truth, sim/faults (X-MBX-APIKEY header){(options.Speed == 0 ? "; paused (lockstep)" : "")}");
        output.WriteLine($"  API key        {options.ApiKey}{(options.ApiKey == SimOptions.DefaultApiKey ? " (the default key pair, see quant sim --help)" : "")}");
        output.WriteLine("Ctrl-C to stop.");
        output.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or SIGTERM: the normal way to stop a server, so exit 0.
        }

        output.WriteLine($"stopped at market time {Iso(server.MarketTime)}; faults injected: {server.Faults.Summary()}");
        output.Flush();
        return ExitCodes.Ok;
    }

    private static SimOptions Options(ParseResult parse, DataOptions data)
    {
        var port = parse.GetValue(Port);
        if (port is < 0 or > 65535)
        {
            throw CliException.Usage($"--port: expected 0..65535, got {port}");
        }

        var speed = parse.GetValue(Speed);
        if (!(speed >= 0) || double.IsInfinity(speed))
        {
            throw CliException.Usage($"--speed: expected 0 (lockstep) or a positive number, got {speed.ToString(CultureInfo.InvariantCulture)}");
        }

        var spread = parse.GetValue(SpreadBps);
        if (spread is < 0 or >= 10_000)
        {
            throw CliException.Usage($"--spread-bps: expected 0 or more (below 10000), got {spread}");
        }

        var warmup = parse.GetValue(Warmup);
        if (warmup < 0)
        {
            throw CliException.Usage($"--warmup: expected 0 or more, got {warmup}");
        }

        var cash = parse.GetValue(Cash);
        if (cash < 0)
        {
            throw CliException.Usage($"--cash: expected 0 or more, got {cash}");
        }

        var feeAsset = parse.GetValue(FeeAssetOption) switch
        {
            "received" => FeeAsset.Received,
            "quote" => FeeAsset.Quote,
            var other => throw CliException.Usage($"--fee-asset: expected received or quote, got '{other}'"),
        };
        var marketFill = parse.GetValue(MarketFillOption) switch
        {
            "touch" => MarketFill.Touch,
            "next-print" => MarketFill.NextPrint,
            var other => throw CliException.Usage($"--market-fill: expected touch or next-print, got '{other}'"),
        };
        var fee = parse.GetValue(Fee);
        if (fee is < 0 or >= 1)
        {
            throw CliException.Usage($"--fee: expected a rate in [0, 1), got {fee.ToString(CultureInfo.InvariantCulture)}");
        }

        var rateLimits = parse.GetValue(RateLimits) switch
        {
            null => speed == 0 ? RateLimitMode.Replay : RateLimitMode.Real,
            "real" => RateLimitMode.Real,
            "replay" => RateLimitMode.Replay,
            "off" => RateLimitMode.Off,
            var other => throw CliException.Usage($"--rate-limits: expected real, replay or off, got '{other}'"),
        };
        var key = parse.GetValue(ApiKey);
        var secret = parse.GetValue(ApiSecret);
        if ((key is null) != (secret is null))
        {
            throw CliException.Usage("--api-key and --api-secret go together");
        }

        if (key is { Length: 0 } || secret is { Length: 0 })
        {
            throw CliException.Usage("--api-key/--api-secret: must not be empty");
        }

        var symbol = parse.GetValue(Symbol)!;
        if (symbol.Length <= 4 || !symbol.EndsWith("USDT", StringComparison.Ordinal) || !symbol.All(char.IsAsciiLetterUpper))
        {
            throw CliException.Usage($"--symbol: expected an uppercase ...USDT pair such as BTCUSDT, got '{symbol}'");
        }

        FaultSpec faults;
        try
        {
            faults = parse.GetValue(Faults) is { } spec ? FaultSpec.Parse(spec) : FaultSpec.None;
        }
        catch (FormatException e)
        {
            throw CliException.Usage($"--faults: {e.Message}");
        }

        var path = data.Path(parse);
        var series = data.Load(parse);
        if (series.Candles.Length == 0)
        {
            throw CliException.BadData($"{path}: no candles");
        }

        if (IntervalLabel(series.IntervalMs) == "?")
        {
            throw CliException.BadData($"{path}: candle interval of {series.IntervalMs} ms is not a Binance kline interval");
        }

        var instrument = Instrument.BtcUsdt with { Symbol = symbol, BaseAsset = symbol[..^4], QuoteAsset = "USDT" };
        return new SimOptions
        {
            Candles = series.Candles,
            IntervalMs = series.IntervalMs,
            Instrument = instrument,
            Port = port,
            Speed = speed,
            SpreadBps = spread,
            StartCandle = Math.Min(warmup, series.Candles.Length - 1),
            ApiKey = key ?? SimOptions.DefaultApiKey,
            ApiSecret = secret ?? SimOptions.DefaultApiSecret,
            Faults = faults,
            Balances = new Dictionary<string, decimal> { ["USDT"] = cash },
            FeeAsset = feeAsset,
            MarketFill = marketFill,
            RateLimits = rateLimits,
            MakerFeeRate = fee,
            TakerFeeRate = fee,
        };
    }

    private static string IntervalLabel(long ms) => SimServer.IntervalLabel(ms) ?? "?";

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);
}
