using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quant.Cli;
using Trading.Core.Data;
using Trading.Core.Market;
using Trading.Backtest.Results;
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
/// settings, never a flag), production also <c>--confirm-live</c>; without a key they trade on paper (<c>--paper</c>:
/// the venue's market data, orders filled locally, no key read). Ctrl-C/SIGTERM/<c>--duration</c>/the data ending stop
/// gracefully (OnStop, open orders canceled unless <c>--keep-orders</c>, close frames) and exit 0; a venue that cannot be
/// reached exits 4; a strategy that throws exits 5. The secret never reaches an output: it is read into the signer and
/// nowhere else.
/// </summary>
internal static class LiveCommand
{
    private const int VenueUnreachable = 4;

    /// <summary>The strategy threw from a callback: it was stopped, its orders canceled (unless --keep-orders).</summary>
    internal const int StrategyFailed = 5;

    private static readonly Option<string> Exchange = new("--exchange") { Description = "Sim (in-process simulator), binance or binance-testnet", DefaultValueFactory = _ => "sim" };
    private static readonly Option<string?> SimUrl = new("--sim-url") { Description = "Connect to a running `quant sim` at this URL (http://127.0.0.1:PORT) instead of starting one" };
    private static readonly Option<string> Symbol = new("--symbol") { Description = "Symbol to trade", DefaultValueFactory = _ => "BTCUSDT" };
    private static readonly Option<string?> Interval = new("--interval") { Description = "Kline interval (default: the data's, or 1h)" };
    private static readonly Option<string?> Duration = new("--duration") { Description = "Wall-clock run time, e.g. 30s, 5m, 2h (default: until Ctrl-C)" };
    private static readonly Option<string?> StopTimeout = new("--stop-timeout")
    {
        Description = "How long a stop waits for the venue to confirm cancels and settle orders in doubt before closing anyway, e.g. 5s, 1m (default 5s)",
    };
    private static readonly Option<decimal> Cash = new("--cash") { Description = "Sim and paper: starting quote balance", DefaultValueFactory = _ => 10_000m };
    private static readonly Option<decimal> Fee = new("--fee") { Description = "Sim and paper: commission per fill, fraction of notional", DefaultValueFactory = _ => 0.001m };
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
    private static readonly Option<string?> Out = new("--out") { Description = "Write trades.csv, equity.csv and summary.json (the backtest's formats) and fills.csv into this folder" };
    private static readonly Option<bool> JsonEvents = new("--json-events") { Description = "One JSON line per event on stdout (everything else on stderr)" };
    private static readonly Option<string?> Journal = new("--journal") { Description = "Journal file (SQLite); default: a temporary one against the simulator (deleted at exit), else one per exchange, account and symbol under the user's data directory" };
    private static readonly Option<bool> ConfirmLive = new("--confirm-live") { Description = "Required to send real orders to binance production" };
    private static readonly Option<string?> RestUrl = new("--rest-url") { Description = "Override the REST base URL" };
    private static readonly Option<string?> StreamUrl = new("--stream-url") { Description = "Override the market stream base URL" };
    private static readonly Option<string?> WsApiUrl = new("--ws-api-url") { Description = "Override the WebSocket API URL" };
    private static readonly Option<bool> Paper = new("--paper") { Description = "Paper trading: market data from the venue, orders filled locally by the backtest's fill model against --cash, none sent (the default for binance and binance-testnet without an API key)" };
    private static readonly Option<bool> Lockstep = new("--lockstep") { Description = "Sim: advance the simulator one market event at a time, only when the engine is idle (deterministic; with --sim-url the simulator must run with --speed 0)" };
    private static readonly Option<string> UnknownOrders = new("--unknown-orders") { Description = "On restart, open venue orders the journal does not know: cancel (default) or adopt", DefaultValueFactory = _ => "cancel" };
    private static readonly Option<string> LoopBackendOption = new("--loop-backend") { Description = "The event loop's I/O backend: auto (io_uring, else epoll, else runtime), io_uring, epoll or runtime", DefaultValueFactory = _ => "auto" };
    private static readonly Option<int?> MetricsPort = new("--metrics-port") { Description = "Serve the engine's metrics for Prometheus at http://127.0.0.1:P/metrics" };

    public static Command Create(CliContext context)
    {
        var strategy = new StrategyOptions(context, "live");
        var data = new DataOptions(context, "live");
        var command = new Command("live", "Trade a strategy in real time: against the in-process simulator (default) or Binance, or on paper. "
            + "Exit codes: 0 stopped (Ctrl-C, SIGTERM, --duration, the data ended, the kill switch), 1 the run failed (a connection lost, the venue refused), "
            + "2 usage error, 4 the venue cannot be reached, 5 the strategy threw (its orders canceled unless --keep-orders)");
        strategy.AddTo(command);
        data.AddTo(command);
        foreach (var option in new Option[]
        {
            Exchange, SimUrl, Symbol, Interval, Duration, Cash, Fee, SimSpeed, SpreadBps, SimFaults, SimFeeAsset, SimMarketFill, Warmup, MaxPosition,
            MaxOrderNotional, MaxOpenOrders, MaxOrdersPerSec, PriceBandBps, MaxDailyLoss, FlattenOnKill, KeepOrders, StopTimeout, Out,
            JsonEvents, Journal, ConfirmLive, RestUrl, StreamUrl, WsApiUrl, Paper, Lockstep, LoopBackendOption, MetricsPort,
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
        var stopTimeout = parse.GetValue(StopTimeout) is { } st ? ParseDuration(st, "--stop-timeout") : (TimeSpan?)null;
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

        var paper = parse.GetValue(Paper);
        var paperCash = parse.GetValue(Cash);
        if (paperCash <= 0)
        {
            throw CliException.Usage($"--cash: expected a positive amount, got {paperCash}");
        }

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
            // Without a key, binance and binance-testnet trade on paper: public market data, local fills, no key used.
            paper |= Setting(context, "binance_api_key") is null;
            if (paper)
            {
                (apiKey, apiSecret) = PaperKeys();
            }
            else
            {
                apiKey = Setting(context, "binance_api_key")!;
                apiSecret = Setting(context, "binance_api_secret") ?? throw CliException.Usage($"--exchange {exchange}: QUANT_BINANCE_API_SECRET is not set");
                if (exchange == "binance" && !parse.GetValue(ConfirmLive))
                {
                    throw CliException.Usage("--exchange binance sends real orders: add --confirm-live (or --paper to fill them locally)");
                }
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
            StopTimeout = stopTimeout ?? LiveSettings.DefaultStopTimeout,
            Lockstep = lockstep ? new LockstepBarrier() : null,
            Paper = paper,
            PaperCash = paperCash,
            StrategyName = choice.Descriptor.Name,
        };
        settings = settings with
        {
            UnknownOrders = parse.GetValue(UnknownOrders) switch
            {
                "cancel" => Trading.Live.Reconcile.UnknownOrderPolicy.Cancel,
                "adopt" => Trading.Live.Reconcile.UnknownOrderPolicy.Adopt,
                var other => throw CliException.Usage($"--unknown-orders: expected adopt or cancel, got '{other}'"),
            },
            LoopBackend = LoopBackendOf(parse.GetValue(LoopBackendOption)),
        };
        var (journal, temporary) = JournalOf(parse, paper ? "sim" : exchange, apiKey, symbol);
        return new LivePlan(choice, settings with { JournalPath = journal }, apiSecret, sim, simUrl, temporary);
    }

    /// <summary>The <c>--loop-backend</c> value; an explicit backend this machine refuses is an error here, before anything connects.</summary>
    private static EventLoop.LoopBackend LoopBackendOf(string? value)
    {
        var backend = value switch
        {
            "auto" or null => EventLoop.LoopBackend.Auto,
            "io_uring" or "io-uring" => EventLoop.LoopBackend.IoUring,
            "epoll" => EventLoop.LoopBackend.Epoll,
            "runtime" => EventLoop.LoopBackend.Runtime,
            var other => throw CliException.Usage($"--loop-backend: expected auto, io_uring, epoll or runtime, got '{other}'"),
        };
        try
        {
            using var probe = new EventLoop.Loop(new EventLoop.LoopOptions { Backend = backend });
        }
        catch (NotSupportedException e)
        {
            throw CliException.Usage($"--loop-backend {value}: {e.Message}");
        }

        return backend;
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
            if (server is not null)
            {
                // The simulator's own view (never touched by faults): what reached the venue, e.g. nothing in a paper run.
                await errors.WriteLineAsync(TruthLine(server.Truth())).ConfigureAwait(false);
            }

            if (parse.GetValue(Out) is { } dir)
            {
                WriteFiles(dir, plan, result, result.LotStep);
            }

            if (!json)
            {
                PrintSummary(output, plan, result);
            }

            return ExitCodeOf(result);
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
        // Without --data and with no data/ folder nearby (an installed tool), the built-in sample, as every command.
        var (series, firstInRange) = data.LoadWithHistory(parse);
        var start = data.Range(parse).From is not null ? (firstInRange < series.Candles.Length ? firstInRange : -1) : Math.Min(warmup, series.Candles.Length - 1);
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

    /// <summary>
    /// <c>--out</c>: trades.csv, equity.csv and summary.json written by the backtest's own writer (ResultFiles) from the
    /// run's fills and its equity at each candle close, so both commands' files read the same; then fills.csv, the
    /// fills as the venue booked them. summary.json ends with the live run's own facts (mode, stop reason, orders).
    /// </summary>
    internal static void WriteFiles(string dir, LivePlan plan, LiveRunResult r, decimal lotStep)
    {
        var fills = new List<(Fill, string?)>(r.Fills.Count);
        foreach (var f in r.Fills)
        {
            // As booked: a base-asset commission reduces what a buy received; a third asset's (BNB) moves neither.
            var fill = f.CommissionAsset switch
            {
                CommissionAsset.Base => f.Fill with { Fee = f.Commission, FeeInBase = true },
                CommissionAsset.Quote => f.Fill with { Fee = f.Commission, FeeInBase = false },
                _ => f.Fill with { Fee = 0, FeeInBase = false },
            };
            fills.Add((fill, f.Tag));
        }

        var result = RecordedRun.ToResult(new RecordedRunInput
        {
            Strategy = plan.Choice.Descriptor.Name,
            Parameters = plan.Choice.Parameters,
            LotStep = lotStep,
            IntervalMs = plan.Settings.IntervalMs,
            InitialCash = r.StartingEquity,
            Fills = fills,
            Curve = r.Curve.Select(p => new EquityPoint(p.Time, p.Equity, p.Cash, p.Position, p.CandleOpen)).ToList(),
            // A strategy given less history than its warm-up is still warming up on the first live candles: as a
            // backtest's warm-up, they are left out of the statistics.
            WarmUpCandles = Math.Max(0, plan.Settings.WarmupCandles - r.WarmUpCandles),
            LastClose = r.LastClose,
            LastMark = r.LastPrice,
            EndTime = r.EndTime,
            FinalEquity = r.FinalEquity,
            FinalCash = r.FinalCash,
            FinalPosition = r.FinalPosition.Quantity,
            Fees = r.FeesPaid,
            OpenOrders = r.OpenOrders,
            RejectedOrders = r.RejectedOrders,
        });
        ResultFiles.Write(dir, result, extraSummary: w =>
        {
            w.WriteString("mode", plan.Settings.Paper ? "paper" : "live");
            w.WriteString("symbol", plan.Settings.Symbol);
            w.WriteString("interval", plan.Settings.Interval);
            w.WriteString("stop_reason", r.Reason.ToString());
            w.WriteNumber("run_start_time", r.StartTime);
            w.WriteNumber("run_end_time", r.EndTime);
            w.WriteNumber("orders_sent", r.OrdersSent);
            w.WriteNumber("orders_rejected", r.OrdersRejected);
            w.WriteNumber("open_orders_left", r.OpenOrdersLeft);
            w.WriteNumber("starting_equity", r.StartingEquity);
            w.WriteNumber("final_equity_exact", r.FinalEquity);
            w.WriteNumber("fees_exact", r.FeesPaid);
        });

        using var writer = new StreamWriter(Path.Combine(dir, "fills.csv"));
        writer.WriteLine("time,order_id,side,price,quantity,fee,commission,commission_asset,trade_id,tag");
        foreach (var f in r.Fills)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{f.Fill.Time},{f.Fill.OrderId.Value},{(f.Fill.Side == OrderSide.Buy ? "buy" : "sell")},{f.Fill.Price},{f.Fill.Quantity},{f.Fill.Fee},{f.Commission},{f.CommissionAsset.ToString().ToLowerInvariant()},{f.Fill.TradeId},{f.Tag}"));
        }
    }

    /// <summary>How a finished run exits: 0, or a one-line error with 1 (the run failed) or 5 (the strategy threw).</summary>
    internal static int ExitCodeOf(LiveRunResult result) => result.Reason switch
    {
        LiveStopReason.Failed => throw new CliException(ExitCodes.Failure, result.Error ?? "the live run failed"),
        LiveStopReason.StrategyFailed => throw new CliException(StrategyFailed, result.Error ?? "the strategy failed"),
        _ => ExitCodes.Ok,
    };

    /// <summary>"live: simulator truth: N orders placed, M trades; USDT 10000, BTC 0" from <c>SimServer.Truth()</c>.</summary>
    internal static string TruthLine(string truth)
    {
        using var doc = JsonDocument.Parse(truth);
        var root = doc.RootElement;
        var balances = string.Join(", ", root.GetProperty("balances").EnumerateArray()
            .Select(b => $"{b.GetProperty("asset").GetString()} {b.GetProperty("free").GetString()}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"live: simulator truth: {root.GetProperty("orders").GetArrayLength()} orders placed, {root.GetProperty("trades").GetArrayLength()} trades; {balances}");
    }

    private static string? Setting(CliContext context, string key) => context.Settings.Get("live", key);

    /// <summary>
    /// A paper run signs nothing and sends no order, but the engine's request writer wants a key pair: a placeholder
    /// key and a fresh random secret, used for nothing (no WebSocket API connection is made).
    /// </summary>
    private static (string Key, string Secret) PaperKeys() =>
        ("paper-no-key", Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));

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

    /// <summary>"30s", "5m", "2h", "500ms", "1d"; a usage error naming <paramref name="flag"/> otherwise.</summary>
    internal static TimeSpan ParseDuration(string text, string flag = "--duration")
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

        throw CliException.Usage($"{flag}: expected a positive duration such as 30s, 5m or 2h, got '{text}'");
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

    internal sealed record LivePlan(StrategyChoice Choice, LiveSettings Settings, string ApiSecret, SimOptions? Sim, Uri? SimUrl, bool TemporaryJournal)
    {
        /// <summary>Never prints the secret (a record would print every member).</summary>
        public override string ToString() => $"LivePlan({Choice.Descriptor.Name}, {Settings.Symbol})";
    }
}
