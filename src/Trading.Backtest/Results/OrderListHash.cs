using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    internal static int WriteLine(long time, OrderSide side, decimal price, decimal quantity, Span<byte> destination) =>
        WriteLine(time, side, price, quantity, ref MemoryMarshal.GetReference(destination[..MaxLineBytes]));

    /// <summary>
    /// <see cref="WriteLine(long, OrderSide, decimal, decimal, Span{byte})"/> at <paramref name="line"/>. Trap: the
    /// caller guarantees <see cref="MaxLineBytes"/> writable bytes there; nothing is checked.
    /// </summary>
    internal static int WriteLine(long time, OrderSide side, decimal price, decimal quantity, ref byte line)
    {
        // Writes through a reference: each part below writes at most its maximum (20 for the time, 6 for the side,
        // MaxDecimalBytes per amount, 2 separators), 90 bytes in all.
        var n = time >= 0 ? WriteDigits((ulong)time, ref line) : WriteFormatted(time, ref line);
        ref var at = ref Unsafe.Add(ref line, n);
        if (side == OrderSide.Buy)
        {
            at = (byte)',';
            Unsafe.Add(ref at, 1) = (byte)'B';
            Unsafe.Add(ref at, 2) = (byte)'U';
            Unsafe.Add(ref at, 3) = (byte)'Y';
            Unsafe.Add(ref at, 4) = (byte)',';
            n += 5;
        }
        else
        {
            at = (byte)',';
            Unsafe.Add(ref at, 1) = (byte)'S';
            Unsafe.Add(ref at, 2) = (byte)'E';
            Unsafe.Add(ref at, 3) = (byte)'L';
            Unsafe.Add(ref at, 4) = (byte)'L';
            Unsafe.Add(ref at, 5) = (byte)',';
            n += 6;
        }

        n += WriteNormalized(price, ref Unsafe.Add(ref line, n));
        Unsafe.Add(ref line, n++) = (byte)',';
        n += WriteNormalized(quantity, ref Unsafe.Add(ref line, n));
        Unsafe.Add(ref line, n++) = (byte)'\n';
        return n;
    }

    /// <summary>The longest line: a 20-character time, "SELL", two decimals of at most 31 characters, 3 separators, a newline.</summary>
    internal const int MaxLineBytes = 128;

    /// <summary>The longest decimal: "-" and 29 digits with a point (−7.9228162514264337593543950335).</summary>
    private const int MaxDecimalBytes = 31;

    internal static string ToHex(ReadOnlySpan<byte> digest) => Convert.ToHexStringLower(digest);

    /// <summary>The decimal in invariant culture without trailing zeros (and without a trailing point).</summary>
    public static string Normalize(decimal value)
    {
        Span<byte> buffer = stackalloc byte[MaxDecimalBytes];
        var n = WriteNormalized(value, ref MemoryMarshal.GetReference(buffer));
        return Encoding.ASCII.GetString(buffer[..n]);
    }

    /// <summary>Writes <paramref name="value"/> normalized at <paramref name="destination"/>: at most <see cref="MaxDecimalBytes"/> bytes.</summary>
    private static int WriteNormalized(decimal value, ref byte destination)
    {
        // Prices and quantities: positive, at most 19 significant digits. Printed from the integer mantissa and scale
        // (what the invariant "G" format prints, less the trailing zeros): formatting a decimal costs far more.
        ref readonly var parts = ref DecimalParts.Of(in value);
        var mantissa = parts.Low64;
        if (parts.High32 == 0 && !parts.IsNegative && mantissa != 0)
        {
            var scale = parts.Scale;
            while (scale > 0 && mantissa % 10 == 0)
            {
                mantissa /= 10;
                scale--;
            }

            return WriteScaled(mantissa, scale, ref destination);
        }

        return WriteFormatted(value, MemoryMarshal.CreateSpan(ref destination, MaxDecimalBytes));
    }

    /// <summary>
    /// <paramref name="mantissa"/> × 10^−<paramref name="scale"/> in plain ASCII digits ("0.005", "42", "1.5") at
    /// <paramref name="destination"/>: at most 20 digits and a point when the scale is below 20 (a decimal's is at
    /// most 28, so up to 30 bytes: "0." and 28 digits).
    /// </summary>
    private static int WriteScaled(ulong mantissa, int scale, ref byte destination)
    {
        if (scale == 0)
        {
            return WriteDigits(mantissa, ref destination);
        }

        // Written backwards, last digit first: the scale's fraction digits (leading zeros included: a mantissa used up
        // gives zeros), the point, then the whole digits, or a single "0" when the mantissa has no more digits than the
        // scale ("0.005").
        var count = CountDigits(mantissa);
        var length = count > scale ? count + 1 : scale + 2;
        ref var point = ref Unsafe.Add(ref destination, length - scale - 1);
        var whole = WriteDigitsBackwards(mantissa, scale, ref Unsafe.Add(ref destination, length));
        point = (byte)'.';
        if (count > scale)
        {
            WriteDigitsBackwards(whole, count - scale, ref point);
        }
        else
        {
            destination = (byte)'0';
        }

        return length;
    }

    /// <summary><paramref name="value"/>'s decimal digits ("0" for zero), as <see cref="ulong.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/> writes them: at most 20 bytes.</summary>
    private static int WriteDigits(ulong value, ref byte destination)
    {
        var count = CountDigits(value);
        WriteDigitsBackwards(value, count, ref Unsafe.Add(ref destination, count));
        return count;
    }

    /// <summary>
    /// The last <paramref name="count"/> digits of <paramref name="value"/> (zeros once it is used up) in the bytes just
    /// before <paramref name="end"/>, two per division; returns what is left, value / 10^count.
    /// </summary>
    private static ulong WriteDigitsBackwards(ulong value, int count, ref byte end)
    {
        var pairs = DigitPairs;
        for (; count >= 2; count -= 2)
        {
            var quotient = value / 100;
            var pair = (int)(value - (quotient * 100)) * 2;
            end = ref Unsafe.Subtract(ref end, 2);
            end = pairs[pair];
            Unsafe.Add(ref end, 1) = pairs[pair + 1];
            value = quotient;
        }

        if (count == 1)
        {
            var quotient = value / 10;
            Unsafe.Subtract(ref end, 1) = (byte)('0' + (int)(value - (quotient * 10)));
            value = quotient;
        }

        return value;
    }

    /// <summary>"00", "01", … "99": the two digits of n at 2n.</summary>
    private static ReadOnlySpan<byte> DigitPairs =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    /// <summary>How many decimal digits <paramref name="value"/> has (1 for zero).</summary>
    private static int CountDigits(ulong value)
    {
        // ⌊bits × log10 2⌋ (1233 / 4096 ≈ 0.30103) is the digit count or one less; the table settles which. value | 1
        // has the same digit count (an even value below a power of ten is at most 10^k − 2) and makes zero count as 1.
        value |= 1;
        var guess = ((BitOperations.Log2(value) + 1) * 1233) >> 12;
        return guess + (value >= PowersOf10[guess] ? 1 : 0);
    }

    private static ReadOnlySpan<ulong> PowersOf10 =>
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ];

    /// <summary>A negative time as the invariant format writes it: at most 20 bytes.</summary>
    private static int WriteFormatted(long value, ref byte destination)
    {
        value.TryFormat(MemoryMarshal.CreateSpan(ref destination, 20), out var n, default, CultureInfo.InvariantCulture);
        return n;
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
