using Trading.Core.Market;

namespace Trading.Sim.Market;

/// <summary>
/// The documented synthetic order book around the touch, for depth streams and snapshots: <see cref="Levels"/> levels a
/// side, level i (from 0) at best bid − i ticks and best ask + i ticks, each with quantity Q × (i + 1), Q being the
/// last print's quantity (at least the lot minimum). The book is a pure function of (bid, ask, Q), so a quote change
/// only records them (one update id each) and the levels and the diff from the previous book are built only when a
/// depth stream or snapshot asks: changed levels with their new quantity, vanished levels with quantity 0 — a client
/// that applies the diffs to a snapshot holds exactly this book. Not thread-safe (used under the exchange lock).
/// </summary>
internal sealed class SyntheticBook(Instrument instrument)
{
    public const int Levels = 100;

    private (decimal Bid, decimal Ask, decimal Q) _previous;
    private (decimal Bid, decimal Ask, decimal Q) _current;
    private ((decimal Bid, decimal Ask, decimal Q) Key, (decimal Price, decimal Quantity)[] Bids, (decimal Price, decimal Quantity)[] Asks)? _built;

    public IReadOnlyList<(decimal Price, decimal Quantity)> Bids => Build(_current).Bids;

    public IReadOnlyList<(decimal Price, decimal Quantity)> Asks => Build(_current).Asks;

    /// <summary>A new touch (one update id).</summary>
    public void Update(decimal bid, decimal ask, decimal lastQuantity)
    {
        _previous = _current;
        _current = (bid, ask, Math.Max(lastQuantity, instrument.MinQuantity));
    }

    /// <summary>The levels that changed with the last <see cref="Update"/>, per side.</summary>
    public (List<(decimal Price, decimal Quantity)> Bids, List<(decimal Price, decimal Quantity)> Asks) LastDiff()
    {
        var before = Compute(_previous);
        var after = Build(_current);
        return (Diff(before.Bids, after.Bids), Diff(before.Asks, after.Asks));
    }

    private ((decimal Price, decimal Quantity)[] Bids, (decimal Price, decimal Quantity)[] Asks) Build((decimal Bid, decimal Ask, decimal Q) key)
    {
        if (_built is not { } b || b.Key != key)
        {
            var (bids, asks) = Compute(key);
            _built = (key, bids, asks);
            return (bids, asks);
        }

        return (b.Bids, b.Asks);
    }

    private ((decimal Price, decimal Quantity)[] Bids, (decimal Price, decimal Quantity)[] Asks) Compute((decimal Bid, decimal Ask, decimal Q) key)
    {
        var tick = instrument.TickSize;
        var bids = key.Bid <= 0 ? [] : Enumerable.Range(0, Levels).Select(i => (key.Bid - (i * tick), key.Q * (i + 1))).Where(l => l.Item1 > 0).ToArray();
        var asks = key.Ask <= 0 ? [] : Enumerable.Range(0, Levels).Select(i => (key.Ask + (i * tick), key.Q * (i + 1))).ToArray();
        return (bids, asks);
    }

    private static List<(decimal Price, decimal Quantity)> Diff((decimal Price, decimal Quantity)[] before, (decimal Price, decimal Quantity)[] after)
    {
        var now = after.ToDictionary(l => l.Price, l => l.Quantity);
        var was = before.ToDictionary(l => l.Price, l => l.Quantity);
        var changes = new List<(decimal, decimal)>();
        changes.AddRange(before.Where(l => !now.ContainsKey(l.Price)).Select(l => (l.Price, 0m)));
        changes.AddRange(after.Where(l => !was.TryGetValue(l.Price, out var q) || q != l.Quantity));
        return changes;
    }
}
