namespace Trading.Sim.Market;

/// <summary>
/// The rolling 24-hour statistics of the replayed prints (Binance's 24hr ticker): the prints of the last 24 hours of
/// market time, counted from the replay start (history candles are not in the window). Open is the window's first
/// print, previous close the last print before the window (else the open). Not thread-safe (used under the lock).
/// </summary>
internal sealed class Ticker24h
{
    private const long Window = 86_400_000;
    private readonly Queue<(long Time, decimal Price, decimal Quantity, long Id)> _prints = new();
    private decimal _prevClose;

    public void Add(long time, decimal price, decimal quantity, long id)
    {
        _prints.Enqueue((time, price, quantity, id));
        while (_prints.Peek().Time < time - Window)
        {
            _prevClose = _prints.Dequeue().Price;
        }
    }

    public TickerStats Stats(long now)
    {
        if (_prints.Count == 0)
        {
            return new TickerStats(0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 0, now - Window, now);
        }

        decimal high = decimal.MinValue, low = decimal.MaxValue, volume = 0, quote = 0;
        foreach (var p in _prints)
        {
            high = Math.Max(high, p.Price);
            low = Math.Min(low, p.Price);
            volume += p.Quantity;
            quote += p.Price * p.Quantity;
        }

        var first = _prints.Peek();
        var last = _prints.Last();
        return new TickerStats(first.Price, high, low, last.Price, last.Quantity, volume, quote, _prevClose > 0 ? _prevClose : first.Price,
            first.Id, last.Id, _prints.Count, now - Window, now);
    }
}
