using System.Globalization;
using System.Text;

namespace Trading.Live.Binance;

/// <summary>
/// A REST query string built in the order the parameters are added (Binance does not sort REST payloads), with each
/// value percent-encoded (UTF-8) before signing, as binance.md §3.2 requires: the signature covers the query exactly
/// as sent. REST is used for start-up and periodic calls (exchangeInfo, klines, time), not on the hot path, so this
/// builds strings.
/// </summary>
public sealed class RestQuery
{
    private readonly StringBuilder _query = new();

    /// <summary>The query so far, without a leading '?'.</summary>
    public string Text => _query.ToString();

    public RestQuery Add(string name, string value)
    {
        if (_query.Length > 0)
        {
            _query.Append('&');
        }

        _query.Append(name).Append('=').Append(Uri.EscapeDataString(value));
        return this;
    }

    public RestQuery Add(string name, long value) => Add(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Appends <c>timestamp</c> (and <c>recvWindow</c> when given), then <c>signature</c> over everything before it
    /// followed directly by <paramref name="body"/> (query then body, no separator; binance.md §3.2). Returns the
    /// signed query text.
    /// </summary>
    public string Sign(HmacSigner signer, long timestampMs, long? recvWindowMs = null, string body = "")
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (recvWindowMs is { } window)
        {
            Add("recvWindow", window);
        }

        Add("timestamp", timestampMs);
        var signature = signer.Sign(_query + body);
        Add("signature", signature);
        return Text;
    }

    /// <summary>Signs the query as it stands (the caller added timestamp and recvWindow itself), then appends the signature.</summary>
    public string SignAsIs(HmacSigner signer, string body = "")
    {
        ArgumentNullException.ThrowIfNull(signer);
        Add("signature", signer.Sign(_query + body));
        return Text;
    }

    public override string ToString() => Text;
}
