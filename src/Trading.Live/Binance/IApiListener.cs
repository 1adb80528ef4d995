namespace Trading.Live.Binance;

/// <summary>What an <see cref="ApiSession"/> reports, on the loop thread.</summary>
public interface IApiListener
{
    void OnApiConnected();

    /// <summary>The answer to <paramref name="request"/>: success or error, in <paramref name="frame"/> (result bytes in <paramref name="json"/>).</summary>
    void OnResponse(in PendingRequest request, ApiFrame frame, ReadOnlySpan<byte> json);

    /// <summary>No answer will come: the deadline passed or the connection ended. The request's outcome is unknown.</summary>
    void OnUnanswered(in PendingRequest request, string why);

    /// <summary>A pushed event: execution report, balance change, list status, stream end or server shutdown.</summary>
    void OnUserEvent(ApiFrame frame);

    /// <summary>The connection ended; <paramref name="error"/> is null for a close this side started.</summary>
    void OnApiClosed(string? error);

    /// <summary>A request that never left (held back by the rate limiter, then dropped): its outcome is known — nothing happened.</summary>
    void OnNotSent(in PendingRequest request, string why) => OnUnanswered(request, why);

    /// <summary>A frame that did not parse or is of a kind this client does not know: counted and skipped.</summary>
    void OnBadFrame(string kind, string detail)
    {
    }
}
