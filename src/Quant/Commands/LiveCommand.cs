using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quant.Cli;
using Trading.Core.Data;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Live.Binance;
using Trading.Live.Engine;
using Trading.Live.Journal;
using Trading.Live.Risk;
using Trading.Sim;
using Trading.Sim.Faults;

namespace Quant.Commands;

/// <summary>
/// <c>quant live</c>: one strategy trading in real time on the event loop (Trading.Live). <c>--exchange sim</c> (the
/// default) starts the simulator in-process on a free loopback port replaying <c>--data</c>, with the candles before
/// <c>--from</c> (or the first <c>--warmup</c> candles) as warm-up history, and uses its documented key pair; so a fresh
/// clone trades with no network and no keys. <c>--sim-url</c> connects to a running <c>quant sim</c> instead.
/// <c>binance</c>/<c>binance-testnet</c> need <c>QUANT_BINANCE_API_KEY</c>/<c>QUANT_BINANCE_API_SECRET</c> (environment or
/// settings, never a flag), production also <c>--confirm-live</c>. Ctrl-C/SIGTERM/<c>--duration</c>/the data ending stop
/// gracefully (OnStop, open orders canceled unless <c>--keep-orders</c>, close frames) and exit 0; a venue that cannot be
/// reached exits 4. The secret never reaches an output: it is read into the signer and nowhere else.
/// </summary>
internal static class LiveCommand
{
    private const int VenueUnreachable = 4;

    private static readonly Option<string> Exchange = new("--exchange") { Description = "Sim (in-process simulator), binance or binance-testnet", DefaultValueFactory = _ => "sim" };
    private static readonly Option<string?> SimUrl = new("--sim-url") { Description = "Connect to a running `quant sim` at this URL (http://127.0.0.1:PORT) instead of starting one" };
    private static readonly Option<string> Symbol = new("--symbol") { Description = "Symbol to trade", DefaultValueFactory = _ => "BTCUSDT" };
    private static readonly Option<string?> Interval = new("--interval") { Description = "Kline interval (default: the data's, or 1h)" };
    private static readonly Option<string?> Duration = new("--duration") { Description = "Wall-clock run time, e.g. 30s, 5m, 2h (default: until Ctrl-C)" };
    private static readonly Option<decimal> Cash = new("--cash") { Description = "Sim: starting quote balance", DefaultValueFactory = _ => 10_000m };
    private static readonly Option<decimal> Fee = new("--fee") { Description = "Sim: commission per fill, fraction of notional", DefaultValueFactory = _ => 0.001m };
    private static readonly Option<double> SimSpeed = new("--sim-speed") { Description = "Sim: market time per wall time", DefaultValueFactory = _ => 36_000 };
    private static readonly Option<decimal> SpreadBps = new("--spread-bps") { Description = "Sim: bid/ask spread around the last price, basis points", DefaultValueFactory = _ => 0m };
    private static readonly Option<string?> SimFaults = new("--sim-faults") { Description = "Sim: fault injection, as quant sim --faults" };
    private static readonly Option<int?> Warmup = new("--warmup") { Description = "Candles of history the strategy is warmed up on (REST klines; default: the strategy's declared warm-up)" };
    private static readonly Option<string> SimFeeAsset = new("--sim-fee-asset") { Description = "Sim: commission asset, received (as Binance: a BUY pays in base) or quote (every fee in cash)", DefaultValueFactory = _ => "received" };
    private static readonly Option<string> SimMarketFill = new("--sim-market-fill") { Description = "Sim: market orders fill at the touch (as Binance) or at the next trade print (next-print)", DefaultValueFactory = _ => "touch" };
    private static readonly Option<decimal?> MaxPosition = new("--max-position") { Description = "Risk: largest absolute position, base asset" };
    private static readonly Option<decimal?> MaxOrderNotional = new("--max-order-notional") { Description = "Risk: largest order notional, quote asset" };
    private static readonly Option<int?> MaxOpenOrders = new("--max-open-orders") { Description = "Risk: most orders working at once" };
    private static readonly Option<double?> MaxOrdersPerSec = new("--max-orders-per-sec") { Description = "Risk: orders per second" };
    private static readonly Option<decimal?> PriceBandBps = new("--price-band-bps") { Description = "Risk: limit/stop price band around the last price, basis points" };
    private static readonly Option<decimal?> MaxDailyLoss = new("--max-daily-loss") { Description = "Risk: loss from the UTC day's start that trips the kill switch, quote asset" };
    private static readonly Option<bool> FlattenOnKill = new("--flatten-on-kill") { Description = "Risk: close the position when the kill switch trips" };
    private static readonly Option<bool> KeepOrders = new("--keep-orders") { Description = "Leave working orders on the venue when the run stops" };
    private static readonly Option<string?> Out = new("--out") { Description = "Write fills.csv and summary.json into this folder" };
    private static readonly Option<bool> JsonEvents = new("--json-events") { Description = "One JSON line per event on stdout (everything else on stderr)" };
    private static readonly Option<string?> Journal = new("--journal") { Description = "Journal file (SQLite); default: a temporary one against the simulator (deleted at exit), else one per exchange, account and symbol under the user's data directory" };
    private static readonly Option<bool> ConfirmLive = new("--confirm-live") { Description = "Required to send real orders to binance production" };
    private static readonly Option<string?> RestUrl = new("--rest-url") { Description = "Override the REST base URL" };
    private static readonly Option<string?> StreamUrl = new("--stream-url") { Description = "Override the market stream base URL" };
    private static readonly Option<string?> WsApiUrl = new("--ws-api-url") { Description = "Override the WebSocket API URL" };
    private static readonly Option<bool> Paper = new("--paper") { Description = "Fill orders locally against live quotes (not available yet)" };
    private static readonly Option<bool> Lockstep = new("--lockstep") { Description = "Sim: advance the simulator one market event at a time, only when the engine is idle (deterministic; with --sim-url the simulator must run with --speed 0)" };
    private static readonly Option<string> UnknownOrders = new("--unknown-orders") { Description = "On restart, open venue orders the journal does not know: cancel (default) or adopt", DefaultValueFactory = _ => "cancel" };
    private static readonly Option<int?> MetricsPort = new("--metrics-port") { Description = "Serve the engine's metrics for Prometheus at http://127.0.0.1:P/metrics" };

    public static Command Create(CliContext context)
    {
        var strategy = new StrategyOptions(context, "live");
        var data = new DataOptions(context, "live");
        var command = new Command("live", "Trade a strategy in real time: against the in-process simulator (default) or Binance.");
        strategy.AddTo(command);
        data.AddTo(command);
        foreach (var option in new Option[]
        {
            Exchange, SimUrl, Symbol, Interval, Duration, Cash, Fee, SimSpeed, SpreadBps, SimFaults, SimFeeAsset, SimMarketFill, Warmup, MaxPosition,
            MaxOrderNotional, MaxOpenOrders, MaxOrdersPerSec, PriceBandBps, MaxDailyLoss, FlattenOnKill, KeepOrders, Out,
            JsonEvents, Journal, ConfirmLive, RestUrl, StreamUrl, WsApiUrl, Paper, Lockstep, MetricsPort,
        })
        {
            command.Options.Add(option);
        }

        command.Options.Add(UnknownOrders);

        command.SetAction((parse, ct) =>
        {
            var plan = Plan(parse, context, strategy, data);
            return QuantHost.RunAsync(parse, context, (services, stop) => RunAsync(parse, plan, services, stop), cancel: ct);
        });
        return command;
    }

    /// <summary>Everything checked before anything starts, so that bad input is one line and a quick exit.</summary>
    private static LivePlan Plan(ParseResult parse, CliContext context, StrategyOptions strategyOptions, DataOptions data)
    {
        foreach (var (option, name) in new (Option Option, string Name)[] { (Paper, "--paper") })
        {
            if (parse.GetResult(option) is { Implicit: false })
            {
                throw CliException.Usage($"{name}: not available yet in this build of quant live");
            }
        }

        var choice = strategyOptions.Resolve(parse);
        var exchange = parse.GetValue(Exchange)!;
        if (exchange is not ("sim" or "binance" or "binance-testnet"))
        {
            throw CliException.Usage($"--exchange: expected sim, binance or binance-testnet, got '{exchange}'");
        }

        var symbol = parse.GetValue(Symbol)!;
        if (symbol.Length <= 4 || !symbol.All(char.IsAsciiLetterOrDigit) || symbol != symbol.ToUpperInvariant())
        {
            throw CliException.Usage($"--symbol: expected an uppercase symbol such as BTCUSDT, got '{symbol}'");
        }

        var lockstep = parse.GetValue(Lockstep);
        if (lockstep && exchange != "sim")
        {
            throw CliException.Usage($"--lockstep: needs --exchange sim (a simulator to step), got --exchange {exchange}");
        }

        var duration = parse.GetValue(Duration) is { } d ? ParseDuration(d) : (TimeSpan?)null;
        if (parse.GetValue(MetricsPort) is { } port and (< 1 or > 65535))
        {
            throw CliException.Usage($"--metrics-port: expected 1..65535, got {port}");
        }
        var warmup = parse.GetValue(Warmup) ?? choice.Descriptor.WarmUpCandles(choice.Parameters);
        if (warmup is < 0 or > 999)
        {
            throw CliException.Usage($"--warmup: expected 0..999, got {warmup}");
        }

        var risk = new RiskLimits
        {
            MaxPosition = Positive(parse, MaxPosition, "--max-position"),
            MaxOrderNotional = Positive(parse, MaxOrderNotional, "--max-order-notional"),
            MaxOpenOrders = parse.GetValue(MaxOpenOrders) is { } k ? k > 0 ? k : throw CliException.Usage($"--max-open-orders: expected a positive integer, got {k}") : null,
            MaxOrdersPerSecond = parse.GetValue(MaxOrdersPerSec) is { } r ? r > 0 && double.IsFinite(r) ? r : throw CliException.Usage("--max-orders-per-sec: expected a positive number") : null,
            PriceBandBps = Positive(parse, PriceBandBps, "--price-band-bps"),
            MaxDailyLoss = Positive(parse, MaxDailyLoss, "--max-daily-loss"),
            FlattenOnKill = parse.GetValue(FlattenOnKill),
        };

        SimOptions? sim = null;
        Uri? simUrl = null;
        var interval = parse.GetValue(Interval);
        long intervalMs;
        string apiKey, apiSecret;
        BinanceEndpoints endpoints;
        if (exchange == "sim")
        {
            if (parse.GetValue(SimUrl) is { } url)
            {
                simUrl = Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? u : throw CliException.Usage($"--sim-url: expected http://host:port, got '{url}'");
                interval ??= "1h";
                intervalMs = IntervalMs(interval);
            }
            else
            {
                sim = SimOptions(parse, data, symbol, warmup);
                sim = sim with
                {
                    // The in-process simulator accepts the configured pair when one is set, else its documented one.
                    ApiKey = Setting(context, "binance_api_key") ?? sim.ApiKey,
                    ApiSecret = Setting(context, "binance_api_secret") ?? sim.ApiSecret,
                };
                var label = SimServer.IntervalLabel(sim.IntervalMs) ?? throw CliException.BadData($"{data.Path(parse)}: candle interval of {sim.IntervalMs} ms is not a Binance kline interval");
                if (interval is not null && interval != label)
                {
                    throw CliException.Usage($"--interval: the data is {label}, got '{interval}'");
                }

                interval = label;
                intervalMs = sim.IntervalMs;
            }

            apiKey = Setting(context, "binance_api_key") ?? Trading.Sim.SimOptions.DefaultApiKey;
            apiSecret = Setting(context, "binance_api_secret") ?? Trading.Sim.SimOptions.DefaultApiSecret;
            endpoints = BinanceEndpoints.Local(simUrl ?? new Uri("http://127.0.0.1:1")); // the in-process simulator's port is known once it runs
        }
        else
        {
            apiKey = Setting(context, "binance_api_key") ?? throw CliException.Usage($"--exchange {exchange}: real orders need QUANT_BINANCE_API_KEY and QUANT_BINANCE_API_SECRET (paper trading is not available yet)");
            apiSecret = Setting(context, "binance_api_secret") ?? throw CliException.Usage($"--exchange {exchange}: QUANT_BINANCE_API_SECRET is not set");
            if (exchange == "binance" && !parse.GetValue(ConfirmLive))
            {
                throw CliException.Usage("--exchange binance sends real orders: add --confirm-live");
            }

            interval ??= "1h";
            intervalMs = IntervalMs(interval);
            endpoints = exchange == "binance" ? BinanceEndpoints.Production : BinanceEndpoints.Testnet;
        }

        endpoints = endpoints with
        {
            RestUrl = Url(parse, RestUrl, "--rest-url") ?? endpoints.RestUrl,
            StreamUrl = Url(parse, StreamUrl, "--stream-url") ?? endpoints.StreamUrl,
            WebSocketApiUrl = Url(parse, WsApiUrl, "--ws-api-url") ?? endpoints.WebSocketApiUrl,
        };
        var settings = new LiveSettings
        {
            Endpoints = endpoints,
            Symbol = symbol,
            Interval = interval,
            IntervalMs = intervalMs,
            ApiKey = apiKey,
            Risk = risk,
            WarmupCandles = warmup,
            FeeAsset = sim?.FeeAsset ?? FeeAsset.Received,
            KeepOrders = parse.GetValue(KeepOrders),
            FeeRate = parse.GetValue(Fee),
            Duration = duration,
            Lockstep = lockstep ? new LockstepBarrier() : null,
        };
        settings = settings with
        {
            UnknownOrders = parse.GetValue(UnknownOrders) switch
            {
                "cancel" => Trading.Live.Reconcile.UnknownOrderPolicy.Cancel,
                "adopt" => Trading.Live.Reconcile.UnknownOrderPolicy.Adopt,
                var other => throw CliException.Usage($"--unknown-orders: expected adopt or cancel, got '{other}'"),
            },
        };
        var (journal, temporary) = JournalOf(parse, exchange, apiKey, symbol);
        return new LivePlan(choice, settings with { JournalPath = journal }, apiSecret, sim, simUrl, temporary);
    }

    private static async Task<int> RunAsync(ParseResult parse, LivePlan plan, IServiceProvider services, CancellationToken stop)
    {
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("live");
        var output = parse.InvocationConfiguration.Output;
        var errors = parse.InvocationConfiguration.Error ?? Console.Error;
        var json = parse.GetValue(JsonEvents);
        LiveSimPump? pump = null;
        await using var events = new LiveOutput(output, errors, json, terminal: !Console.IsErrorRedirected && ReferenceEquals(errors, Console.Error),
            connection: what =>
            {
                if (what == LiveEngine.MarketConnected)
                {
                    pump?.Ready();
                }
            });
        var settings = plan.Settings;
        SimServer? server = null;
        using var prometheus = parse.GetValue(MetricsPort) is { } port ? PrometheusEndpoint.Start(port) : null;
        if (prometheus is not null)
        {
            events.OnConnection($"metrics for Prometheus at {prometheus.Url}");
        }

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Task? watcher = null;
        HttpClient? control = null;
        try
        {
            if (plan.Sim is { } sim)
            {
                // In lockstep a year of market time passes in seconds of wall time: the venue's wall-clock rate limits
                // would refuse orders no real run would send that fast, so the in-process simulator drops them.
                var options = settings.Lockstep is null ? sim with { Speed = 0 }
                    : sim with { Speed = 0, RequestWeightLimit = int.MaxValue, OrdersPer10Seconds = int.MaxValue, OrdersPerDay = int.MaxValue, RawRequestsPer5Minutes = int.MaxValue };
                server = await SimServer.StartAsync(options, stop).ConfigureAwait(false);
                settings = settings with { Endpoints = BinanceEndpoints.Local(server.RestUrl) };
                events.OnConnection($"simulator started on {server.RestUrl} ({sim.Candles.Count - sim.StartCandle} candles to replay at {sim.Speed.ToString(CultureInfo.InvariantCulture)}x once the engine listens)");
                pump = new LiveSimPump(server, sim.Speed);
                watcher = settings.Lockstep is { } barrier ? pump.RunLockstepAsync(barrier, stopping) : pump.RunAsync(stopping);
            }
            else if (plan.SimUrl is { } simUrl && settings.Lockstep is { } barrier)
            {
                control = LiveSimPump.ControlClient(settings.ApiKey);
                double speed;
                try
                {
                    speed = await LiveSimPump.SpeedAsync(control, simUrl, stop).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    throw new CliException(VenueUnreachable, $"--sim-url {simUrl}: no simulator control API there ({e.Message})");
                }

                if (speed != 0)
                {
                    throw CliException.Usage($"--lockstep: the simulator at {simUrl} replays in real time; start it with quant sim --speed 0");
                }

                pump = new LiveSimPump(control, simUrl);
                watcher = pump.RunLockstepAsync(barrier, stopping);
            }

            var strategy = plan.Choice.Descriptor.Create(plan.Choice.Parameters);
            LiveRunResult result;
            try
            {
                result = await LiveSession.RunAsync(settings, new HmacSigner(plan.ApiSecret), strategy, events, new StrategyLogger(log), stopping.Token).ConfigureAwait(false);
            }
            catch (LiveVenueException e)
            {
                throw new CliException(VenueUnreachable, e.Message);
            }
            catch (JournalLockedException e)
            {
                throw new CliException(ExitCodes.Failure, "--journal: " + e.Message);
            }
            catch (JournalFormatException e)
            {
                throw new CliException(ExitCodes.Failure, "--journal: " + e.Message);
            }

            await events.DisposeAsync().ConfigureAwait(false);
            if (parse.GetValue(Out) is { } dir)
            {
                WriteFiles(dir, plan, result);
            }

            if (!json)
            {
                PrintSummary(output, plan, result);
            }

            if (result.Reason == LiveStopReason.Failed)
            {
                throw new CliException(ExitCodes.Failure, result.Error ?? "the live run failed");
            }

            return ExitCodes.Ok;
        }
        finally
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            if (watcher is not null)
            {
                await watcher.ConfigureAwait(false);
            }

            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            control?.Dispose();
            if (plan.TemporaryJournal)
            {
                DeleteJournal(settings.JournalPath!);
            }
        }
    }

    private static SimOptions SimOptions(ParseResult parse, DataOptions data, string symbol, int warmup)
    {
        var cash = parse.GetValue(Cash);
        var fee = parse.GetValue(Fee);
        var speed = parse.GetValue(SimSpeed);
        var spread = parse.GetValue(SpreadBps);
        if (cash <= 0)
        {
            throw CliException.Usage($"--cash: expected a positive amount, got {cash}");
        }

        if (fee is < 0 or >= 1)
        {
            throw CliException.Usage($"--fee: expected a fraction of notional in [0, 1), got {fee}");
        }

        if (!(speed > 0) || double.IsInfinity(speed))
        {
            throw CliException.Usage("--sim-speed: expected a positive number");
        }

        if (spread is < 0 or >= 10_000)
        {
            throw CliException.Usage($"--spread-bps: expected 0 or more (below 10000), got {spread}");
        }

        var feeAsset = parse.GetValue(SimFeeAsset) switch
        {
            "received" => FeeAsset.Received,
            "quote" => FeeAsset.Quote,
            var other => throw CliException.Usage($"--sim-fee-asset: expected received or quote, got '{other}'"),
        };
        var marketFill = parse.GetValue(SimMarketFill) switch
        {
            "touch" => MarketFill.Touch,
            "next-print" => MarketFill.NextPrint,
            var other => throw CliException.Usage($"--sim-market-fill: expected touch or next-print, got '{other}'"),
        };
        FaultSpec faults;
        try
        {
            faults = parse.GetValue(SimFaults) is { } spec ? FaultSpec.Parse(spec) : FaultSpec.None;
        }
        catch (FormatException e)
        {
            throw CliException.Usage($"--sim-faults: {e.Message}");
        }

        // --to bounds the replay; the candles before --from are history (warm-up), so load without --from.
        var (from, to) = data.Range(parse);
        var series = CandleLoader.Load(data.Path(parse), to is null ? null : new CandleLoadOptions { To = to });
        var start = from is { } f ? Array.FindIndex(series.Candles, c => c.OpenTime >= f) : Math.Min(warmup, series.Candles.Length - 1);
        if (series.Candles.Length == 0 || start < 0)
        {
            throw CliException.BadData($"{data.Path(parse)}: no candles to replay between --from and --to");
        }

        var quote = symbol.EndsWith("USDT", StringComparison.Ordinal) ? "USDT" : throw CliException.Usage($"--symbol: the simulator trades ...USDT pairs, got '{symbol}'");
        return new SimOptions
        {
            Candles = series.Candles,
            IntervalMs = series.IntervalMs,
            Instrument = Instrument.BtcUsdt with { Symbol = symbol, BaseAsset = symbol[..^4], QuoteAsset = quote },
            Speed = speed,
            SpreadBps = spread,
            StartCandle = start,
            Faults = faults,
            Balances = new Dictionary<string, decimal> { [quote] = cash },
            MakerFeeRate = fee,
            TakerFeeRate = fee,
            FeeAsset = feeAsset,
            MarketFill = marketFill,
        };
    }

    private static void PrintSummary(TextWriter output, LivePlan plan, LiveRunResult r)
    {
        var table = new TextTable("metric", "value>") { Title = $"live {plan.Choice.Descriptor.Name} {plan.Settings.Symbol} {plan.Settings.Interval}" };
        table.AddRow("Stopped", r.Reason.ToString());
        table.AddRow("Orders sent / rejected", $"{r.OrdersSent} / {r.OrdersRejected}");
        table.AddRow("Fills", r.Fills.Count.ToString(CultureInfo.InvariantCulture));
        table.AddRow("Open orders left", r.OpenOrdersLeft.ToString(CultureInfo.InvariantCulture));
        table.AddRow("Starting equity", r.StartingEquity.ToString("N2", CultureInfo.InvariantCulture));
        table.AddRow("Final equity", r.FinalEquity.ToString("N2", CultureInfo.InvariantCulture));
        table.AddRow("Final cash", r.FinalCash.ToString("N2", CultureInfo.InvariantCulture));
        table.AddRow("Final position", r.FinalPosition.Quantity.ToString(CultureInfo.InvariantCulture));
        table.AddRow("Fees", r.FeesPaid.ToString("N2", CultureInfo.InvariantCulture));
        table.AddRow("Market messages", $"{r.MarketMessages:N0} ({r.MalformedFrames} malformed)");
        table.Write(output);
    }

    private static void WriteFiles(string dir, LivePlan plan, LiveRunResult r)
    {
        Directory.CreateDirectory(dir);
        using (var fills = new StreamWriter(Path.Combine(dir, "fills.csv")))
        {
            fills.WriteLine("time,order_id,side,price,quantity,fee,commission,commission_asset,trade_id,tag");
            foreach (var f in r.Fills)
            {
                fills.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{f.Fill.Time},{f.Fill.OrderId.Value},{(f.Fill.Side == Trading.Core.Orders.OrderSide.Buy ? "buy" : "sell")},{f.Fill.Price},{f.Fill.Quantity},{f.Fill.Fee},{f.Commission},{f.CommissionAsset.ToString().ToLowerInvariant()},{f.Fill.TradeId},{f.Tag}"));
            }
        }

        using var stream = File.Create(Path.Combine(dir, "summary.json"));
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("mode", "live");
        w.WriteString("strategy", plan.Choice.Descriptor.Name);
        w.WriteString("symbol", plan.Settings.Symbol);
        w.WriteString("interval", plan.Settings.Interval);
        w.WriteString("stop_reason", r.Reason.ToString());
        w.WriteNumber("start_time", r.StartTime);
        w.WriteNumber("end_time", r.EndTime);
        w.WriteNumber("orders_sent", r.OrdersSent);
        w.WriteNumber("orders_rejected", r.OrdersRejected);
        w.WriteNumber("fills", r.Fills.Count);
        w.WriteNumber("starting_equity", r.StartingEquity);
        w.WriteNumber("final_equity", r.FinalEquity);
        w.WriteNumber("final_cash", r.FinalCash);
        w.WriteNumber("final_position", r.FinalPosition.Quantity);
        w.WriteNumber("fees", r.FeesPaid);
        w.WriteEndObject();
    }

    private static string? Setting(CliContext context, string key) => context.Settings.Get("live", key);

    private static decimal? Positive(ParseResult parse, Option<decimal?> option, string name) =>
        parse.GetValue(option) is { } v ? v > 0 ? v : throw CliException.Usage($"{name}: expected a positive number, got {v}") : null;

    private static Uri? Url(ParseResult parse, Option<string?> option, string name) =>
        parse.GetValue(option) is { } text
            ? Uri.TryCreate(text, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" or "ws" or "wss" ? u : throw CliException.Usage($"{name}: expected an absolute URL, got '{text}'")
            : null;

    private static long IntervalMs(string label) => label switch
    {
        "1s" => 1_000,
        "1m" => 60_000,
        "3m" => 180_000,
        "5m" => 300_000,
        "15m" => 900_000,
        "30m" => 1_800_000,
        "1h" => 3_600_000,
        "2h" => 7_200_000,
        "4h" => 14_400_000,
        "6h" => 21_600_000,
        "8h" => 28_800_000,
        "12h" => 43_200_000,
        "1d" => 86_400_000,
        _ => throw CliException.Usage($"--interval: expected a Binance kline interval (1m, 5m, 15m, 1h, 4h, 1d, ...), got '{label}'"),
    };

    /// <summary>"30s", "5m", "2h", "500ms", "1d"; a usage error naming --duration otherwise.</summary>
    internal static TimeSpan ParseDuration(string text)
    {
        var unitStart = text.AsSpan().IndexOfAnyExcept("0123456789.");
        if (unitStart > 0 && double.TryParse(text.AsSpan(0, unitStart), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            var span = text[unitStart..] switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                "d" => TimeSpan.FromDays(n),
                _ => (TimeSpan?)null,
            };
            if (span is { } s)
            {
                return s;
            }
        }

        throw CliException.Usage($"--duration: expected a positive duration such as 30s, 5m or 2h, got '{text}'");
    }

    /// <summary>
    /// <c>--journal</c>, else a fresh temporary journal against the simulator (nothing to reconcile with a venue that
    /// starts empty; deleted at exit), else the default one of this exchange, account and symbol (JournalPaths).
    /// </summary>
    private static (string Path, bool Temporary) JournalOf(ParseResult parse, string exchange, string apiKey, string symbol)
    {
        if (parse.GetValue(Journal) is { } given)
        {
            return string.IsNullOrWhiteSpace(given) ? throw CliException.Usage("--journal: expected a file path") : (given, false);
        }

        return exchange == "sim"
            ? (System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"quant-live-{Guid.NewGuid():N}.db"), true)
            : (JournalPaths.Default(exchange, apiKey, symbol), false);
    }

    /// <summary>Removes a temporary journal and its WAL, shared-memory and lock files (a leftover is only litter in the temp directory).</summary>
    private static void DeleteJournal(string path)
    {
        foreach (var f in new[] { path, path + "-wal", path + "-shm", path + ".lock" })
        {
            try
            {
                File.Delete(f);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private sealed record LivePlan(StrategyChoice Choice, LiveSettings Settings, string ApiSecret, SimOptions? Sim, Uri? SimUrl, bool TemporaryJournal)
    {
        /// <summary>Never prints the secret (a record would print every member).</summary>
        public override string ToString() => $"LivePlan({Choice.Descriptor.Name}, {Settings.Symbol})";
    }
}
