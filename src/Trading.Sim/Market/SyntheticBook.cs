using Trading.Core.Market;

namespace Trading.Sim.Market;

/// <summary>
/// The documented synthetic order book around the touch, for depth streams and snapshots: <see cref="Levels"/> levels a
/// side, level i (from 0) at best bid − i ticks and best ask + i ticks, each with quantity Q × (i + 1), Q being the
/// last print's quantity (at least the lot minimum). It is rebuilt at every quote change (one update id each), and
/// <see cref="Update"/> returns the diff from the previous book: changed levels with their new quantity, vanished
/// levels with quantity 0 — so a client that applies diffs to a snapshot holds exactly this book.
/// Not thread-safe (used under the exchange lock).
/// </summary>
internal sealed class SyntheticBook(Instrument instrument)
{
    public const int Levels = 100;

    private (decimal Price, decimal Quantity)[] _bids = [];
    private (decimal Price, decimal Quantity)[] _asks = [];

    public IReadOnlyList<(decimal Price, decimal Quantity)> Bids => _bids;

    public IReadOnlyList<(decimal Price, decimal Quantity)> Asks => _asks;

    /// <summary>Rebuilds the book for a new touch; returns the changed levels of each side.</summary>
    public (List<(decimal Price, decimal Quantity)> Bids, List<(decimal Price, decimal Quantity)> Asks) Update(decimal bid, decimal ask, decimal lastQuantity)
    {
        var q = Math.Max(lastQuantity, instrument.MinQuantity);
        var tick = instrument.TickSize;
        var bids = bid <= 0 ? [] : Enumerable.Range(0, Levels).Select(i => (bid - (i * tick), q * (i + 1))).Where(l => l.Item1 > 0).ToArray();
        var asks = ask <= 0 ? [] : Enumerable.Range(0, Levels).Select(i => (ask + (i * tick), q * (i + 1))).ToArray();
        var diff = (Diff(_bids, bids), Diff(_asks, asks));
        _bids = bids;
        _asks = asks;
        return diff;
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
