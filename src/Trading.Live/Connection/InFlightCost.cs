namespace Trading.Live.Connection;

/// <summary>What the requests sent after an answered one (and not yet answered) cost: the venue's counts in that answer
/// cannot include them. <see cref="Requests"/> counts requests (RAW_REQUESTS).</summary>
public readonly record struct InFlightCost(int Weight, int Orders, int Requests)
{
    /// <summary>Adds one request of <paramref name="cost"/>.</summary>
    public InFlightCost Plus(RequestCost cost) => new(Weight + cost.Weight, Orders + (cost.IsOrder ? 1 : 0), Requests + 1);
}
