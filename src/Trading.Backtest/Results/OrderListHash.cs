using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Trading.Core.Orders;

namespace Trading.Backtest.Results;

/// <summary>
/// One field that tells whether two runs traded identically: SHA-256 (lower-case hex) over one line per fill,
/// <c>time,side,price,quantity\n</c>, with decimals printed without trailing zeros. Built on a stack buffer and an
/// incremental hash: a sweep hashes every run, and formatting through custom format strings cost microseconds per fill.
/// </summary>
public static class OrderListHash
{
    public static string Compute(IReadOnlyList<Fill> fills)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<char> line = stackalloc char[128];
        Span<byte> bytes = stackalloc byte[128];
        foreach (var f in fills)
        {
            var n = 0;
            f.Time.TryFormat(line, out var w, default, CultureInfo.InvariantCulture);
            n += w;
            line[n++] = ',';
            var side = f.Side == OrderSide.Buy ? "BUY" : "SELL";
            side.CopyTo(line[n..]);
            n += side.Length;
            line[n++] = ',';
            n += WriteNormalized(f.Price, line[n..]);
            line[n++] = ',';
            n += WriteNormalized(f.Quantity, line[n..]);
            line[n++] = '\n';
            var count = Encoding.ASCII.GetBytes(line[..n], bytes);
            hash.AppendData(bytes[..count]);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The decimal in invariant culture without trailing zeros (and without a trailing point).</summary>
    public static string Normalize(decimal value)
    {
        Span<char> buffer = stackalloc char[64];
        var n = WriteNormalized(value, buffer);
        return new string(buffer[..n]);
    }

    private static int WriteNormalized(decimal value, Span<char> destination)
    {
        value.TryFormat(destination, out var n, default, CultureInfo.InvariantCulture);
        if (destination[..n].Contains('.'))
        {
            while (destination[n - 1] == '0')
            {
                n--;
            }

            if (destination[n - 1] == '.')
            {
                n--;
            }
        }

        return n;
    }
}
