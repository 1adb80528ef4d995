using System.Text.Json;

namespace Trading.Live.Binance;

/// <summary>A REST call answered with an error: the HTTP status and, when the body is Binance's <c>{code,msg}</c>, those.</summary>
public sealed class BinanceRestException(int status, int code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public int Code { get; } = code;

    internal static BinanceRestException From(int status, byte[] body, string path)
    {
        var endpoint = path.Split('?')[0];
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("code", out var c) && doc.RootElement.TryGetProperty("msg", out var m))
            {
                return new BinanceRestException(status, c.GetInt32(), $"{endpoint}: HTTP {status}, {c.GetInt32()} {m.GetString()}");
            }
        }
        catch (JsonException)
        {
            // Not Binance's error shape: report the status alone.
        }

        return new BinanceRestException(status, 0, $"{endpoint}: HTTP {status}");
    }
}
