using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Trading.Core.Orders;

namespace Trading.Backtest.Results;

/// <summary>
/// One field that tells whether two runs traded identically: SHA-256 (lower-case hex) over one line per fill,
/// <c>time,side,price,quantity\n</c>, with decimals printed without trailing zeros. Lines are written as ASCII bytes
/// straight into the hasher's buffer: a sweep hashes every run, and formatting through custom format strings cost
/// microseconds per fill.
/// Positive decimals are printed from their integer mantissa and scale, not through the decimal formatter.
/// <see cref="OrderListHasher"/> builds it as fills happen.
/// </summary>
public static class OrderListHash
{
    public static string Compute(IReadOnlyList<Fill> fills)
    {
        var hasher = new OrderListHasher();
        foreach (var f in fills)
        {
            hasher.Append(f.Time, f.Side, f.Price, f.Quantity);
        }

        return hasher.Finish();
    }

    /// <summary>
    /// Writes one fill's line, <c>time,side,price,quantity\n</c>, as ASCII into <paramref name="destination"/> (at least
    /// <see cref="MaxLineBytes"/> long); returns the bytes written.
    /// </summary>
    internal static int WriteLine(long time, OrderSide side, decimal price, decimal quantity, Span<byte> destination)
    {
        time.TryFormat(destination, out var n, default, CultureInfo.InvariantCulture);
        destination[n++] = (byte)',';
        var name = side == OrderSide.Buy ? "BUY"u8 : "SELL"u8;
        name.CopyTo(destination[n..]);
        n += name.Length;
        destination[n++] = (byte)',';
        n += WriteNormalized(price, destination[n..]);
        destination[n++] = (byte)',';
        n += WriteNormalized(quantity, destination[n..]);
        destination[n++] = (byte)'\n';
        return n;
    }

    /// <summary>The longest line: a 20-character time, "SELL", two decimals of at most 31 characters, 3 separators, a newline.</summary>
    internal const int MaxLineBytes = 128;

    internal static string ToHex(ReadOnlySpan<byte> digest) => Convert.ToHexStringLower(digest);

    /// <summary>The decimal in invariant culture without trailing zeros (and without a trailing point).</summary>
    public static string Normalize(decimal value)
    {
        Span<byte> buffer = stackalloc byte[64];
        var n = WriteNormalized(value, buffer);
        return Encoding.ASCII.GetString(buffer[..n]);
    }

    private static int WriteNormalized(decimal value, Span<byte> destination)
    {
        // Prices and quantities: positive, at most 19 significant digits. Printed from the integer mantissa and scale
        // (what the invariant "G" format prints, less the trailing zeros): formatting a decimal costs far more.
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        if (bits[2] == 0 && bits[3] >= 0 && (bits[0] | bits[1]) != 0)
        {
            var mantissa = (uint)bits[0] | ((ulong)(uint)bits[1] << 32);
            var scale = (bits[3] >> 16) & 0xFF;
            while (scale > 0 && mantissa % 10 == 0)
            {
                mantissa /= 10;
                scale--;
            }

            return WriteScaled(mantissa, scale, destination);
        }

        return WriteFormatted(value, destination);
    }

    /// <summary><paramref name="mantissa"/> × 10^−<paramref name="scale"/> in plain ASCII digits ("0.005", "42", "1.5").</summary>
    private static int WriteScaled(ulong mantissa, int scale, Span<byte> destination)
    {
        Span<byte> digits = stackalloc byte[20];
        mantissa.TryFormat(digits, out var count, default, CultureInfo.InvariantCulture);
        if (scale == 0)
        {
            digits[..count].CopyTo(destination);
            return count;
        }

        var n = 0;
        var whole = count - scale;
        if (whole <= 0)
        {
            destination[n++] = (byte)'0';
            destination[n++] = (byte)'.';
            destination.Slice(n, -whole).Fill((byte)'0');
            n += -whole;
            digits[..count].CopyTo(destination[n..]);
            return n + count;
        }

        digits[..whole].CopyTo(destination);
        n = whole;
        destination[n++] = (byte)'.';
        digits[whole..count].CopyTo(destination[n..]);
        return n + scale;
    }

    private static int WriteFormatted(decimal value, Span<byte> destination)
    {
        value.TryFormat(destination, out var n, default, CultureInfo.InvariantCulture);
        if (destination[..n].Contains((byte)'.'))
        {
            while (destination[n - 1] == (byte)'0')
            {
                n--;
            }

            if (destination[n - 1] == (byte)'.')
            {
                n--;
            }
        }

        return n;
    }
}
