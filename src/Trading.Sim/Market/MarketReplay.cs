using Trading.Core.Market;

namespace Trading.Sim.Market;

/// <summary>
/// Replays candles as a market: every candle yields four trades (<see cref="IntraCandlePath"/>) and then its close.
/// Not thread-safe: the exchange calls it under its lock. The replay clock (<see cref="Now"/>, ms) is the time of the
/// last emitted event; it only moves when <see cref="Next"/> is called, so tests step it by hand and never sleep.
/// A trade's <c>m</c> (buyer is maker) is true on a down-tick against the previous trade, false otherwise.
/// </summary>
internal sealed class MarketReplay
{
    private const int EventsPerCandle = IntraCandlePath.TradesPerCandle + 1;

    private readonly IReadOnlyList<Candle> _candles;
    private readonly SynthTrade[] _path = new SynthTrade[IntraCandlePath.TradesPerCandle];
    private int _pathCandle = -1;
    private long _event;
    private long _nextTradeId = 1;

    public MarketReplay(IReadOnlyList<Candle> candles, long intervalMs, Instrument instrument, int startCandle)
    {
        if (candles.Count == 0)
        {
            throw new ArgumentException("the simulator needs at least one candle", nameof(candles));
        }

        if (startCandle < 0 || startCandle >= candles.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(startCandle), $"start candle {startCandle} is outside 0..{candles.Count - 1}");
        }

        _candles = candles;
        IntervalMs = intervalMs;
        Instrument = instrument;
        StartCandle = startCandle;
        _event = (long)startCandle * EventsPerCandle;
        Now = candles[startCandle].OpenTime;
        Kline.Reset(Now, intervalMs);
        if (startCandle > 0)
        {
            Span<SynthTrade> prev = stackalloc SynthTrade[IntraCandlePath.TradesPerCandle];
            IntraCandlePath.Trades(candles[startCandle - 1], intervalMs, instrument, prev);
            LastPrice = prev[^1].Price;
            LastQuantity = prev[^1].Quantity;
        }
    }

    public long IntervalMs { get; }

    public Instrument Instrument { get; }

    public int StartCandle { get; }

    /// <summary>The replay clock: market time of the last event (ms since the epoch).</summary>
    public long Now { get; private set; }

    /// <summary>The last trade's price (0 before the first trade).</summary>
    public decimal LastPrice { get; private set; }

    public decimal LastQuantity { get; private set; }

    public bool LastBuyerIsMaker { get; private set; }

    public long LastTradeId { get; private set; }

    /// <summary>The kline of the current candle (reset when the next candle's first trade arrives).</summary>
    public KlineState Kline { get; } = new();

    /// <summary>Index of the candle being replayed (or just closed).</summary>
    public int CandleIndex => (int)Math.Min(_event / EventsPerCandle, _candles.Count - 1);

    /// <summary>Index of the candle the last emitted event belonged to (its close included).</summary>
    public int LastEventCandle => (int)Math.Max((_event - 1) / EventsPerCandle, 0);

    /// <summary>Market events not yet emitted.</summary>
    public long EventsLeft => ((long)_candles.Count * EventsPerCandle) - _event;

    public bool Finished => _event >= (long)_candles.Count * EventsPerCandle;

    /// <summary>Market time of the next event, or null when the data is exhausted.</summary>
    public long? NextEventTime
    {
        get
        {
            if (Finished)
            {
                return null;
            }

            var (candle, k) = Position(_event);
            return k < IntraCandlePath.TradesPerCandle ? PathOf(candle)[k].Time : PathOf(candle)[^1].Time;
        }
    }

    /// <summary>The kind of the next event, or null when the data is exhausted.</summary>
    public MarketEventKind? NextEventKind => Finished ? null
        : Position(_event).K == IntraCandlePath.TradesPerCandle ? MarketEventKind.KlineClosed : MarketEventKind.Trade;

    /// <summary>Emits the next event: a trade, or the close of the current kline. False when the data is exhausted.</summary>
    public bool Next(out MarketEvent e)
    {
        if (Finished)
        {
            e = default;
            return false;
        }

        var (candle, k) = Position(_event);
        _event++;
        if (k == IntraCandlePath.TradesPerCandle)
        {
            e = new MarketEvent(MarketEventKind.KlineClosed, Kline.CloseTime, default, 0, false);
            return true;
        }

        var trade = PathOf(candle)[k];
        if (k == 0)
        {
            Kline.Reset(_candles[candle].OpenTime, IntervalMs);
        }

        var buyerIsMaker = LastPrice > 0 && trade.Price < LastPrice;
        var id = _nextTradeId++;
        LastPrice = trade.Price;
        LastQuantity = trade.Quantity;
        LastBuyerIsMaker = buyerIsMaker;
        LastTradeId = id;
        Now = trade.Time;
        Kline.Add(id, trade.Price, trade.Quantity, buyerIsMaker);
        e = new MarketEvent(MarketEventKind.Trade, trade.Time, trade, id, buyerIsMaker);
        return true;
    }

    /// <summary>Takes a trade id for a fill of a simulated order (ids are shared with the synthesised trades).</summary>
    public long TakeTradeId() => _nextTradeId++;

    /// <summary>
    /// Klines whose open time lies in [from, to], oldest first, ending with the forming kline; at most
    /// <paramref name="limit"/> of them, the newest when <paramref name="fromStart"/> is false.
    /// Candles after the replay clock are never returned.
    /// </summary>
    public List<KlineState> History(long from, long to, int limit, bool fromStart)
    {
        var result = new List<KlineState>();
        var lastClosed = (int)(_event / EventsPerCandle) - 1;
        var hasForming = _event % EventsPerCandle != 0;
        Span<SynthTrade> path = stackalloc SynthTrade[IntraCandlePath.TradesPerCandle];
        Span<SynthTrade> before = stackalloc SynthTrade[IntraCandlePath.TradesPerCandle];
        for (var i = 0; i <= lastClosed; i++)
        {
            var c = _candles[i];
            if (c.OpenTime < from || c.OpenTime > to)
            {
                continue;
            }

            var k = new KlineState();
            k.Reset(c.OpenTime, IntervalMs);
            var prev = 0m;
            if (i > 0)
            {
                IntraCandlePath.Trades(_candles[i - 1], IntervalMs, Instrument, before);
                prev = before[^1].Price;
            }

            IntraCandlePath.Trades(c, IntervalMs, Instrument, path);
            foreach (var t in path)
            {
                k.Add(0, t.Price, t.Quantity, prev > 0 && t.Price < prev);
                prev = t.Price;
            }

            result.Add(k);
        }

        if (hasForming && Kline.OpenTime >= from && Kline.OpenTime <= to)
        {
            result.Add(Kline);
        }

        if (result.Count > limit)
        {
            result = fromStart ? result[..limit] : result[^limit..];
        }

        return result;
    }

    /// <summary>
    /// Klines of <paramref name="ms"/> (a whole multiple of the data's interval) whose open time lies in [from, to],
    /// each the exact aggregate of the data's candles in its bucket (the forming one included); at most
    /// <paramref name="limit"/>, the newest unless <paramref name="fromStart"/>.
    /// </summary>
    public List<KlineState> Aggregated(long ms, long from, long to, int limit, bool fromStart)
    {
        if (ms == IntervalMs)
        {
            return History(from, to, limit, fromStart);
        }

        var bucketTo = to == long.MaxValue ? long.MaxValue : to - (to % ms) + ms - 1;
        var result = new List<KlineState>();
        foreach (var k in History(from, bucketTo, int.MaxValue, fromStart: true))
        {
            var open = k.OpenTime - (k.OpenTime % ms);
            if (open < from || open > to)
            {
                continue;
            }

            if (result.Count == 0 || result[^1].OpenTime != open)
            {
                var bucket = new KlineState();
                bucket.Reset(open, ms);
                result.Add(bucket);
            }

            result[^1].Merge(k);
        }

        if (result.Count > limit)
        {
            result = fromStart ? result[..limit] : result[^limit..];
        }

        return result;
    }

    /// <summary>The data's candles of the bucket [<paramref name="open"/>, …) that are history (before the replay start).</summary>
    public IEnumerable<KlineState> HistoryBefore(long open, long ms)
    {
        var startOpen = _candles[StartCandle].OpenTime;
        return open >= startOpen ? [] : History(open, Math.Min(open + ms, startOpen) - 1, int.MaxValue, fromStart: true);
    }

    private (int Candle, int K) Position(long ev) => ((int)(ev / EventsPerCandle), (int)(ev % EventsPerCandle));

    private SynthTrade[] PathOf(int candle)
    {
        if (_pathCandle != candle)
        {
            IntraCandlePath.Trades(_candles[candle], IntervalMs, Instrument, _path);
            _pathCandle = candle;
        }

        return _path;
    }
}
