namespace Trading.Live.Binance;

/// <summary>
/// One parsed WebSocket API frame, reused for every frame of a connection (<see cref="ApiFrameParser.Parse"/> resets
/// and fills it), so that parsing allocates nothing but an error's message. Only the members of <see cref="Kind"/>
/// are meaningful, and only until the next parse.
/// </summary>
public sealed class ApiFrame
{
    public const int MaxRateLimits = 8;

    private readonly RateLimitEntry[] _rateLimits = new RateLimitEntry[MaxRateLimits];

    public ApiFrameKind Kind { get; internal set; }

    /// <summary>Response: the request id echoed back; −1 when it was null or not an integer (this client sends integers).</summary>
    public long Id { get; internal set; }

    /// <summary>Response: HTTP-like status (200 ok, 400 failed, 429/418 limits, 5xx unknown outcome).</summary>
    public int Status { get; internal set; }

    public bool IsSuccess => Status == 200;

    /// <summary>Response with an error: Binance's negative code (e.g. −2010, −1007); 0 when there is none.</summary>
    public int ErrorCode { get; internal set; }

    /// <summary>Response with an error: its message (allocated; errors are rare).</summary>
    public string? ErrorMessage { get; internal set; }

    /// <summary>429/418 error: <c>error.data.retryAfter</c>, epoch ms; 0 when absent.</summary>
    public long RetryAfter { get; internal set; }

    /// <summary>429/418 error: <c>error.data.serverTime</c>, the venue's clock when it refused (epoch ms); 0 when absent.
    /// <c>RetryAfter − ServerTime</c> is the wait in the venue's own measure, free of any error in the local estimate of
    /// the venue's clock.</summary>
    public long ServerTime { get; internal set; }

    /// <summary>Response: where <c>result</c>'s JSON value sits in the parsed frame (length 0 when absent).</summary>
    public int ResultStart { get; internal set; }

    public int ResultLength { get; internal set; }

    public int RateLimitCount { get; internal set; }

    public ReadOnlySpan<RateLimitEntry> RateLimits => _rateLimits.AsSpan(0, RateLimitCount);

    /// <summary>Pushed events: the subscription they belong to (−1 for connection-level events such as serverShutdown).</summary>
    public long SubscriptionId { get; internal set; }

    public ExecutionReport Execution;

    public BalanceChange Balance;

    public ListStatus List;

    /// <summary><c>result</c>'s bytes within <paramref name="frame"/>, the span that was parsed.</summary>
    public ReadOnlySpan<byte> Result(ReadOnlySpan<byte> frame) => frame.Slice(ResultStart, ResultLength);

    internal void Reset()
    {
        Kind = ApiFrameKind.Unknown;
        Id = -1;
        Status = 0;
        ErrorCode = 0;
        ErrorMessage = null;
        RetryAfter = 0;
        ServerTime = 0;
        ResultStart = 0;
        ResultLength = 0;
        RateLimitCount = 0;
        SubscriptionId = -1;
        Execution = default;
        Balance = default;
        List = default;
    }

    internal void AddRateLimit(in RateLimitEntry entry)
    {
        if (RateLimitCount < MaxRateLimits)
        {
            _rateLimits[RateLimitCount++] = entry;
        }
    }
}
