using System.Text;
using System.Text.Json;
using Trading.Core.Orders;
using Trading.Sim.Api;
using Trading.Sim.Faults;
using Trading.Sim.Market;
using Trading.Sim.Matching;
using Trading.Sim.Transport;

namespace Trading.Sim;

/// <summary>
/// The simulated exchange behind every transport. Threading: Kestrel runs handlers concurrently, so everything that
/// changes state — a market step, an order, a cancel, a subscription, a fault decision — runs inside one lock
/// (<see cref="_gate"/>): the matching engine has a single writer at a time and events reach every connection's
/// queue in the order they happened. Socket I/O never happens under the lock: frames are queued and each connection's
/// pump sends them.
/// Clocks: market data, orders and fills carry the replay clock (market time); <c>time</c>/<c>serverTime</c>, the
/// signed-request timestamp check and the rate-limit windows use the wall clock (<see cref="SimOptions.Time"/>),
/// because clients sign with their own wall clock.
/// </summary>
internal sealed partial class SimExchange : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SimOptions _options;
    private readonly MarketReplay _market;
    private readonly MatchingEngine _engine;
    private readonly List<SimConnection> _connections = [];
    private readonly RateLimit _weight;
    private readonly RateLimit _orders10S;
    private readonly RateLimit _ordersDay;
    private readonly RateLimit _rawRequests;
    private readonly RateLimit _connectionsLimit;
    private readonly string _symbol;
    private readonly string _symbolLower;
    private readonly KlineStreams _klines;
    private readonly SyntheticBook _book;
    private readonly Ticker24h _ticker = new();
    private readonly System.Security.Cryptography.HMACSHA256 _hmac;
    private long _bookUpdateId;
    private long _nextConnectionId;
    private long _apiConnections;
    private long _streamConnections;

    public SimExchange(SimOptions options)
    {
        _options = options;
        var instrument = options.Instrument;
        _symbol = instrument.Symbol;
        _symbolLower = _symbol.ToLowerInvariant();
        _market = new MarketReplay(options.Candles, options.IntervalMs, instrument, options.StartCandle);
        _klines = new KlineStreams(_market);
        _book = new SyntheticBook(instrument);
        _engine = new MatchingEngine(instrument, options.Balances, options.MakerFeeRate, options.TakerFeeRate, options.FeeAsset, options.MarketFill, _market.TakeTradeId);
        var enforced = options.RateLimits != RateLimitMode.Off;
        _weight = new RateLimit("REQUEST_WEIGHT", "MINUTE", 1, options.RequestWeightLimit, enforced);
        _orders10S = new RateLimit("ORDERS", "SECOND", 10, options.OrdersPer10Seconds, enforced);
        _ordersDay = new RateLimit("ORDERS", "DAY", 1, options.OrdersPerDay, enforced);
        _rawRequests = new RateLimit("RAW_REQUESTS", "MINUTE", 5, options.RawRequestsPer5Minutes, enforced);
        _connectionsLimit = new RateLimit("CONNECTIONS", "MINUTE", 5, options.ConnectionsPer5Minutes, enforced);
        Faults = new FaultInjector(options.Faults);
        _lockstep = options.Speed == 0;
        _lastDropAll = FaultNow;
        _hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes(options.ApiSecret));
        if (_market.LastPrice > 0)
        {
            SetQuote(_market.LastPrice);
        }

        // The market opens with the first trade of the start candle, so there is always a price to trade at.
        Step(1);
    }

    public FaultInjector Faults { get; }

    public void Dispose() => _hmac.Dispose();

    /// <summary>The server's wall clock (ms), shifted by the skew fault.</summary>
    public long WallNow => _options.Time.GetUtcNow().ToUnixTimeMilliseconds() + (long)_options.Faults.Skew.TotalMilliseconds;

    /// <summary>The clock rate-limit windows count on: the replay clock with <see cref="RateLimitMode.Replay"/>, else
    /// the wall clock (skewed like <see cref="WallNow"/>).</summary>
    private long LimitNow => _options.RateLimits == RateLimitMode.Replay ? _market.Now : WallNow;

    /// <summary>The market speed now (0: paused), kept by the server so that a replay-clock Retry-After can be said in
    /// wall time.</summary>
    public double Speed
    {
        get => Volatile.Read(ref _speed);
        set => Volatile.Write(ref _speed, value);
    }

    private double _speed;

    /// <summary>When a request refused by <paramref name="limit"/> may retry, on the wall clock (Retry-After).</summary>
    private long RetryAt(RateLimit limit, long wallNow)
    {
        if (_options.RateLimits != RateLimitMode.Replay)
        {
            return limit.NextWindow;
        }

        var speed = Speed;
        var left = limit.NextWindow - _market.Now;
        return wallNow + (speed > 0 ? Math.Max(1_000, (long)Math.Ceiling(left / speed)) : 1_000);
    }

    public long MarketTime
    {
        get
        {
            lock (_gate)
            {
                return _market.Now;
            }
        }
    }

    public long? NextEventTime
    {
        get
        {
            lock (_gate)
            {
                return _market.NextEventTime;
            }
        }
    }

    public string Symbol => _symbol;

    /// <summary>Emits up to <paramref name="count"/> market events; returns how many there were.</summary>
    public int Step(int count)
    {
        lock (_gate)
        {
            var n = 0;
            while (n < count && StepOne())
            {
                n++;
            }

            return n;
        }
    }

    /// <summary>Emits every market event due at or before <paramref name="marketTime"/>.</summary>
    public int AdvanceTo(long marketTime)
    {
        lock (_gate)
        {
            var n = 0;
            while (_market.NextEventTime is { } t && t <= marketTime && StepOne())
            {
                n++;
            }

            return n;
        }
    }

    public SimConnection Register(System.Net.WebSockets.WebSocket socket, bool isApi, IEnumerable<string> streams, bool combined, bool returnRateLimits)
    {
        lock (_gate)
        {
            // Fault decisions name a connection by its rank among connections of its kind, so that one more stream
            // client does not change what happens on the WebSocket API connections (nor the other way round).
            var rank = isApi ? ++_apiConnections : ++_streamConnections;
            var c = new SimConnection(++_nextConnectionId, socket, isApi, _options.Time)
            {
                Combined = combined,
                ReturnRateLimits = returnRateLimits,
                FaultId = (isApi ? 1L << 40 : 0) + rank,
                OpenedAt = FaultNow,
                Drained = NotifyIfIdle,
            };
            c.Streams.UnionWith(streams);
            _connections.Add(c);
            if (isApi)
            {
                // Opening a WebSocket API connection costs 2 weight.
                _weight.Add(2, LimitNow);
            }

            return c;
        }
    }

    /// <summary>Counts a WebSocket API connection attempt against CONNECTIONS; false when over the limit.</summary>
    public bool AdmitApiConnection()
    {
        lock (_gate)
        {
            return _connectionsLimit.Add(1, LimitNow);
        }
    }

    /// <summary>
    /// Queues Binance's planned-shutdown notice on every connection: <c>{"e":"serverShutdown","E":…}</c> on raw streams,
    /// wrapped as stream <c>!serverShutdown</c> on combined ones, and <c>{"event":{…}}</c> on the WebSocket API.
    /// </summary>
    /// <returns>The connections; their pumps finish once the notice (and what was queued before it) is sent.</returns>
    public SimConnection[] AnnounceShutdown()
    {
        lock (_gate)
        {
            var now = WallNow;
            var payload = BinanceJson.Build(w =>
            {
                w.WriteStartObject();
                w.WriteString("e", "serverShutdown");
                w.WriteNumber("E", now);
                w.WriteEndObject();
            });
            foreach (var c in _connections)
            {
                c.Send(c.IsApi
                    ? BinanceJson.Build(w =>
                    {
                        w.WriteStartObject();
                        w.WritePropertyName("event");
                        w.WriteRawValue(payload, skipInputValidation: true);
                        w.WriteEndObject();
                    })
                    : c.Combined ? Wrap("!serverShutdown", payload) : payload);
                c.Complete();
            }

            return [.. _connections];
        }
    }

    public void Unregister(SimConnection c)
    {
        lock (_gate)
        {
            _connections.Remove(c);
        }

        NotifyIfIdle();
    }

    private bool StepOne()
    {
        if (!_market.Next(out var e))
        {
            return false;
        }

        OnMarketEvent();
        if (e.Kind == MarketEventKind.KlineClosed)
        {
            PublishKline(e.Time, closed: true);
            return true;
        }

        PublishMarket($"{_symbolLower}@trade", BinanceJson.Build(w => BinanceJson.Trade(w, _symbol, e)));
        _klines.OnTrade(e);
        PublishKline(e.Time, closed: false);
        SetQuote(e.Trade.Price);
        var q = _market.LastQuantity;
        PublishMarket($"{_symbolLower}@bookTicker",
            BinanceJson.Build(w => BinanceJson.BookTicker(w, _symbol, _bookUpdateId, _engine.Bid, q, _engine.Ask, q)));
        _ticker.Add(e.Time, e.Trade.Price, e.Trade.Quantity, e.TradeId);
        PublishDepthAndTickers(e.Time);
        PublishUser(_engine.OnTrade(e.Trade.Price, e.Trade.Quantity, e.Time));
        return true;
    }

    private void SetQuote(decimal last)
    {
        var instrument = _options.Instrument;
        var half = last * _options.SpreadBps / 20_000m;
        _engine.SetQuote(last, instrument.RoundPriceDown(last - half), instrument.RoundPriceUp(last + half));
        _bookUpdateId++;
        _book.Update(_engine.Bid, _engine.Ask, _market.LastQuantity);
    }

    /// <summary>Every served interval's kline: an update after a trade, and x=true for the intervals whose bucket the
    /// closing data candle ends (a 4h kline closes with the data candle that closes at its close time).</summary>
    private void PublishKline(long eventTime, bool closed)
    {
        foreach (var (label, state, isClosed) in _klines.At(eventTime, closed))
        {
            if (closed && !isClosed)
            {
                continue;
            }

            PublishMarket($"{_symbolLower}@kline_{label}",
                BinanceJson.Build(w => BinanceJson.Kline(w, _symbol, label, eventTime, state, isClosed)));
        }
    }

    /// <summary>The kline intervals served, finest first.</summary>
    public IReadOnlyList<string> ServedIntervals => [.. _klines.Labels];

    /// <summary>A kline stream (or interval) the data cannot serve, as an error message naming what it can; null if fine.</summary>
    public string? Unserved(string stream)
    {
        var at = stream.IndexOf("@kline_", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var label = stream[(at + 7)..];
        return _klines.IntervalMs(label) is not null ? null
            : $"{stream}: the data interval is {_klines.Labels.First()}; this simulator serves klines of {string.Join(", ", _klines.Labels)}";
    }

    /// <summary>
    /// Depth and 24hr tickers after a print: <c>@depth</c> diffs (U = u = the book's update id: one quote change each),
    /// <c>@depth5/10/20</c> partial books, <c>@ticker</c> and <c>@miniTicker</c>; every speed suffix (<c>@100ms</c>,
    /// <c>@1000ms</c>) gets each update (the replay has no wall-clock batching). Built only for streams someone follows.
    /// </summary>
    private void PublishDepthAndTickers(long time)
    {
        var id = _bookUpdateId;
        foreach (var suffix in Speeds)
        {
            PublishMarket($"{_symbolLower}@depth{suffix}", () =>
            {
                var diff = _book.LastDiff();
                return BinanceJson.Build(w => BinanceJson.DepthUpdate(w, _symbol, time, id, id, diff.Bids, diff.Asks));
            });
            foreach (var n in PartialDepths)
            {
                PublishMarket($"{_symbolLower}@depth{n}{suffix}", () => BinanceJson.Build(w => BinanceJson.Depth(w, id, _book, n)));
            }
        }

        PublishMarket($"{_symbolLower}@ticker", () =>
        {
            var stats = _ticker.Stats(time);
            var bidQty = _book.Bids.Count > 0 ? _book.Bids[0].Quantity : 0;
            var askQty = _book.Asks.Count > 0 ? _book.Asks[0].Quantity : 0;
            return BinanceJson.Build(w => BinanceJson.TickerEvent(w, _symbol, time, stats, _engine.Bid, bidQty, _engine.Ask, askQty));
        });
        PublishMarket($"{_symbolLower}@miniTicker", () =>
        {
            var stats = _ticker.Stats(time);
            return BinanceJson.Build(w => BinanceJson.MiniTickerEvent(w, _symbol, time, stats));
        });
    }

    private static readonly string[] Speeds = ["", "@100ms", "@1000ms"];

    private static readonly int[] PartialDepths = [5, 10, 20];

    private void PublishMarket(string stream, Func<byte[]> payload)
    {
        foreach (var c in _connections)
        {
            if (!c.IsApi && c.Streams.Contains(stream))
            {
                PublishMarket(stream, payload());
                return;
            }
        }
    }

    private void PublishMarket(string stream, byte[] payload)
    {
        // Backwards: a drop fault removes the connection from the list while we walk it.
        for (var i = _connections.Count - 1; i >= 0; i--)
        {
            var c = _connections[i];
            if (c.IsApi || !c.Streams.Contains(stream))
            {
                continue;
            }

            var frame = c.Combined ? Wrap(stream, payload) : payload;
            SendWithFaults(c, frame, isStream: true);
        }
    }

    private void WriteUserEvent(Utf8JsonWriter w, UserEvent ev)
    {
        if (ev.Report is { } report)
        {
            BinanceJson.ExecutionReport(w, _symbol, ev.Time, report);
        }
        else if (ev.List is { } list)
        {
            BinanceJson.ListStatus(w, _symbol, ev.Time, list);
        }
        else
        {
            BinanceJson.AccountPosition(w, ev.Time, _engine.UpdateTime, ev.Balances!);
        }
    }

    private static byte[] Wrap(string stream, byte[] payload) => BinanceJson.Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("stream", stream);
        w.WritePropertyName("data");
        w.WriteRawValue(payload, skipInputValidation: true);
        w.WriteEndObject();
    });

    private static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);

    private static OrderSide ParseSide(string s) => s switch
    {
        "BUY" => OrderSide.Buy,
        "SELL" => OrderSide.Sell,
        _ => throw new ApiException(400, -1117, "Invalid side."),
    };
}
