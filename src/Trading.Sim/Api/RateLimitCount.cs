namespace Trading.Sim.Api;

/// <summary>One <c>rateLimits</c> entry as returned with a WebSocket API response.</summary>
internal readonly record struct RateLimitCount(string Type, string Interval, int IntervalNum, int Limit, int Count);
