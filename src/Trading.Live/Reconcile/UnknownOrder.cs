namespace Trading.Live.Reconcile;

/// <summary>An open venue order the journal does not know, and what the policy says to do with it.</summary>
public sealed record UnknownOrder(VenueOrderState Order, UnknownOrderPolicy Action);
