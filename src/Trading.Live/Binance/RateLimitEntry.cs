namespace Trading.Live.Binance;

/// <summary>One entry of a response's <c>rateLimits</c> (binance.md §6): what the venue counted so far in that window.</summary>
public readonly record struct RateLimitEntry(RateLimitType Type, char Interval, int IntervalNum, int Limit, int Count);

public enum RateLimitType : byte
{
    Other,
    RequestWeight,
    Orders,
    RawRequests,
}
