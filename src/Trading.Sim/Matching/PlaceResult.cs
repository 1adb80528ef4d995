namespace Trading.Sim.Matching;

/// <summary>The outcome of an accepted order.place: the order after matching, its immediate fills, and the user events.</summary>
internal sealed record PlaceResult(OrderSnapshot Order, IReadOnlyList<SimFill> Fills, IReadOnlyList<UserEvent> Events);
