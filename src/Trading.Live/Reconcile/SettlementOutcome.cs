namespace Trading.Live.Reconcile;

/// <summary>How reconciliation settled one journalled order.</summary>
public enum SettlementOutcome : byte
{
    /// <summary>The journal already had the venue's state.</summary>
    Unchanged,

    /// <summary>The venue's answer moved the order to a new state (a lost ack, a lost report, a cancel that lost to a fill).</summary>
    Settled,

    /// <summary>Still working at the venue: the engine takes it over as one of its open orders.</summary>
    StillOpen,

    /// <summary>The intent never reached the venue (not found, and too old to still arrive): closed as rejected, never re-sent.</summary>
    NeverPlaced,

    /// <summary>Not found, but its request could still be in flight (within the receive window): ask again at <see cref="OrderSettlement.RetryAt"/>.</summary>
    Unresolved,
}
