using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Trading.Core.Orders;

namespace Trading.Backtest.Results;

/// <summary>
/// One field that tells whether two runs traded identically: SHA-256 (lower-case hex) over one line per fill,
/// <c>time,side,price,quantity\n</c>, with decimals printed without trailing zeros.
/// </summary>
public static class OrderListHash
{
    public static string Compute(IReadOnlyList<Fill> fills)
    {
        var sb = new StringBuilder(fills.Count * 48);
        foreach (var f in fills)
        {
            sb.Append(f.Time.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(f.Side == OrderSide.Buy ? "BUY" : "SELL").Append(',')
              .Append(Normalize(f.Price)).Append(',')
              .Append(Normalize(f.Quantity)).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    public static string Normalize(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);
}
