using System.Security.Cryptography;
using System.Text;

namespace Trading.Sim.Api;

/// <summary>
/// Binance's HMAC-SHA256 request signing. REST signs the query string followed directly by the body, exactly as sent
/// (no separator, not sorted, already percent-encoded). The WebSocket API signs every <c>params</c> entry except
/// <c>signature</c>, sorted by name (ordinal), as <c>key=value</c> joined with <c>&amp;</c>, values raw UTF-8.
/// Signatures are lowercase hex; comparison is case-insensitive and constant-time.
/// </summary>
internal static class Signing
{
    /// <summary>Lowercase hex of HMAC-SHA256(secret, payload) (both as UTF-8).</summary>
    public static string Sign(string secret, string payload) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload)));

    /// <summary>True when <paramref name="signature"/> (hex, any case) is the HMAC of the payload.</summary>
    public static bool Verify(string secret, string payload, string signature)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return Verify(hmac, payload, signature);
    }

    /// <summary>
    /// <see cref="Verify(string, string, string)"/> with a keyed instance that the caller reuses: creating the HMAC
    /// context is most of the cost of a one-shot call (OpenSSL 3 looks the algorithm up each time). Not thread-safe:
    /// the exchange calls it under its lock.
    /// </summary>
    public static bool Verify(HMACSHA256 hmac, string payload, string signature)
    {
        var expected = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes(payload))));
        var given = Encoding.UTF8.GetBytes(signature.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>The WebSocket API payload: the parameters except <c>signature</c>, sorted by name, joined as key=value&amp;…</summary>
    public static string WebSocketPayload(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in parameters.Where(p => p.Key != "signature").OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (sb.Length > 0)
            {
                sb.Append('&');
            }

            sb.Append(key).Append('=').Append(value);
        }

        return sb.ToString();
    }

    /// <summary>
    /// The REST payload: the raw query string (without '?') followed directly by the raw body, each with its
    /// <c>signature=</c> pair removed (the signature is appended to what it signs, so it is never part of it).
    /// </summary>
    public static string RestPayload(string rawQuery, string rawBody) => StripSignature(rawQuery) + StripSignature(rawBody);

    private static string StripSignature(string raw)
    {
        if (raw.StartsWith('?'))
        {
            raw = raw[1..];
        }

        if (!raw.Contains("signature=", StringComparison.Ordinal))
        {
            return raw;
        }

        return string.Join('&', raw.Split('&').Where(p => !p.StartsWith("signature=", StringComparison.Ordinal)));
    }
}
