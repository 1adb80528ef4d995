namespace Trading.Sim.Market;

/// <summary>
/// The kline streams the data can serve: the data's own interval and every multiple of it (see
/// <see cref="IntraCandlePath.Served"/>), each an exact aggregate built from the replayed trades. A bucket that began
/// before the replay start is seeded with the history candles it covers. Not thread-safe (used under the exchange lock).
/// </summary>
internal sealed class KlineStreams
{
    private readonly MarketReplay _market;
    private readonly (string Label, long Ms, KlineState State)[] _streams;

    public KlineStreams(MarketReplay market)
    {
        _market = market;
        _streams = [.. IntraCandlePath.Served(market.IntervalMs).Select(i => (i.Label, i.Ms, new KlineState()))];
        foreach (var (_, ms, state) in _streams)
        {
            state.Reset(long.MinValue, ms);
        }
    }

    /// <summary>The labels served, finest first (e.g. "1h, 2h, 4h, 6h, 8h, 12h, 1d").</summary>
    public IEnumerable<string> Labels => _streams.Select(s => s.Label);

    public long? IntervalMs(string label) => _streams.FirstOrDefault(s => s.Label == label) is { Label: not null } s ? s.Ms : null;

    /// <summary>Adds a replayed trade to every interval's forming kline (starting a new bucket when it crosses one).</summary>
    public void OnTrade(in MarketEvent e)
    {
        foreach (var (_, ms, state) in _streams)
        {
            var open = e.Time - (e.Time % ms);
            if (state.OpenTime != open)
            {
                state.Reset(open, ms);
                foreach (var k in _market.HistoryBefore(open, ms))
                {
                    state.Merge(k);
                }
            }

            state.Add(e.TradeId, e.Trade.Price, e.Trade.Quantity, e.BuyerIsMaker);
        }
    }

    /// <summary>The forming kline of every interval, with whether this event closes it (the data candle that ends the bucket).</summary>
    public IEnumerable<(string Label, KlineState State, bool Closed)> At(long eventTime, bool dataCandleClosed) =>
        _streams.Where(s => s.State.OpenTime != long.MinValue)
            .Select(s => (s.Label, s.State, dataCandleClosed && s.State.CloseTime == eventTime));
}
