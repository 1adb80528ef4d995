using System.Text.Json;

namespace Trading.Live.Binance;

/// <summary>A REST call answered with an error: the HTTP status and, when the body is Binance's <c>{code,msg}</c>, those;
/// a 429 / 418's Retry-After header in <see cref="RetryAfter"/>.</summary>
public sealed class BinanceRestException(int status, int code, string message, TimeSpan? retryAfter = null) : Exception(message)
{
    public int Status { get; } = status;

    public int Code { get; } = code;

    /// <summary>The response's Retry-After (429, 418), if it had one.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>Refused for the request rate (429, 418 or −1003): nothing was executed, and nothing may be sent until
    /// <see cref="RetryAfter"/> has passed.</summary>
    public bool IsRateLimited => Status is 429 or 418 || Code == -1003;

    internal static BinanceRestException From(int status, byte[] body, string path, TimeSpan? retryAfter = null)
    {
        var endpoint = path.Split('?')[0];
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("code", out var c) && doc.RootElement.TryGetProperty("msg", out var m))
            {
                return new BinanceRestException(status, c.GetInt32(), $"{endpoint}: HTTP {status}, {c.GetInt32()} {m.GetString()}", retryAfter);
            }
        }
        catch (JsonException)
        {
            // Not Binance's error shape: report the status alone.
        }

        return new BinanceRestException(status, 0, $"{endpoint}: HTTP {status}", retryAfter);
    }
}
