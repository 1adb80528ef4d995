namespace Trading.Live.Journal;

/// <summary>What a <see cref="JournalRecord"/> states. Stored as its name, so values may be added but never renamed.</summary>
public enum JournalRecordKind : byte
{
    /// <summary>An order the engine means to place, with its client order id: written before the request leaves.</summary>
    Intent,

    /// <summary>The place request was handed to the socket (carries the request id).</summary>
    Sent,

    /// <summary>The venue answered the place request, or a query reported the order: its state and venue id.</summary>
    Ack,

    /// <summary>An execution report that is a trade: one fill, keyed by its trade id (idempotent).</summary>
    Fill,

    /// <summary>The engine asked to cancel an order.</summary>
    CancelRequested,

    /// <summary>The order reached a state the engine learned from a report or query (canceled, expired, rejected, unknown...).</summary>
    State,

    /// <summary>A risk rule tripped (the kill switch, or a refused order); <see cref="JournalRecord.Text"/> says why.</summary>
    RiskTrip,

    /// <summary>The position and balances as the engine holds them (periodic, and after reconciliation).</summary>
    Snapshot,
}
