namespace Trading.Live.Journal;

/// <summary>
/// What a journal holds, loaded for reconciliation and for <c>quant journal show</c>: every intent with its last known
/// state (oldest first), every fill (by time, then trade id), the snapshots, and the last known point — the latest time
/// the journal recorded and the highest trade id — from which the venue is asked what happened since.
/// </summary>
public sealed record JournalState(
    IReadOnlyList<JournalOrder> Orders,
    IReadOnlyList<JournalFill> Fills,
    IReadOnlyList<JournalSnapshot> Snapshots,
    long LastKnownTime,
    long LastTradeId)
{
    public static readonly JournalState Empty = new([], [], [], 0, 0);

    public JournalSnapshot? LastSnapshot => Snapshots.Count == 0 ? null : Snapshots[^1];
}
