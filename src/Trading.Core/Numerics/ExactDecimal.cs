using System.Runtime.CompilerServices;

namespace Trading.Core.Numerics;

/// <summary>
/// A <see cref="decimal"/>'s exact state — a 96-bit integer mantissa, a scale (decimal places, 0–28) and a sign, the
/// sign of zero included — with arithmetic that gives <see cref="decimal"/>'s own result bit for bit
/// (<see cref="decimal.GetBits(decimal)"/> equal, scale and the sign of zero included), done in integers: addition
/// and subtraction align the operands to the larger scale, multiplication adds the scales, exactly as
/// <see cref="decimal"/> does whenever its result needs no rounding. Where <see cref="decimal"/> would round (a result
/// beyond 96 bits or 28 places) or where an operand is too large for the integer fast path, the operation is done by
/// <see cref="decimal"/> itself, so every result is <see cref="decimal"/>'s, always.
/// <para>
/// Why a per-value scale and not one fixed scale per quantity: the engine's results must stay identical to the
/// decimal arithmetic they replace, and a decimal's conversion to <see cref="double"/> (metrics, the equity curve)
/// depends on its scale, not only on its value (10.50m and 10.5m can convert differently once the mantissa passes
/// 2^53); prices from the data carry 0 to 8 places each. Keeping the integer at the scale the decimal computation
/// would have had makes every edge value (<see cref="ToDecimal"/>) the old decimal, scale and all, without a second
/// bookkeeping of scales.
/// </para>
/// Trap: <c>default</c> is 0 with scale 0, as <c>0m</c>. Division is not offered: it rounds at 28 digits, so callers
/// use <see cref="decimal"/> for it.
/// </summary>
public readonly struct ExactDecimal : IEquatable<ExactDecimal>, IComparable<ExactDecimal>
{
    private const int MaxScale = 28;
    private static readonly UInt128 MaxMantissa = (UInt128.One << 96) - 1;


    private const int ScaleShift = 32;
    private const ulong NegativeBit = 1UL << 40;

    /// <summary>The mantissa's low 64 bits.</summary>
    private readonly ulong _lo;

    /// <summary>The mantissa's high 32 bits, the scale at bit 32, the sign at bit 40: two 64-bit fields, so the JIT keeps a value in two registers.</summary>
    private readonly ulong _meta;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ExactDecimal(ulong lo, uint hi, int scale, bool negative)
    {
        _lo = lo;
        _meta = hi | ((ulong)(uint)scale << ScaleShift) | (negative ? NegativeBit : 0);
    }

    private uint _hi => (uint)_meta;

    private int _scale => (byte)(_meta >> ScaleShift);

    private bool _negative => (_meta & NegativeBit) != 0;

    private ExactDecimal(ulong lo, ulong meta)
    {
        _lo = lo;
        _meta = meta;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ExactDecimal(UInt128 magnitude, int scale, bool negative)
        : this((ulong)magnitude, (uint)(magnitude >> 64), (byte)scale, negative)
    {
    }

    public static ExactDecimal Zero => default;

    /// <summary>Decimal places, as <see cref="decimal.Scale"/>.</summary>
    public int Scale => _scale;

    /// <summary>The sign bit (set on a negative zero too, as <see cref="decimal"/> keeps it).</summary>
    public bool SignBit => _negative;

    public bool IsZero => (_lo | _hi) == 0;

    /// <summary>−1, 0 or 1, as <see cref="Math.Sign(decimal)"/> (a negative zero is 0).</summary>
    public int Sign => IsZero ? 0 : _negative ? -1 : 1;

    private UInt128 Magnitude => new(_hi, _lo);

    private bool Small => _hi == 0;

    public static ExactDecimal FromDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        return new ExactDecimal((uint)bits[0] | ((ulong)(uint)bits[1] << 32), (uint)bits[2], (byte)((bits[3] >> 16) & 0xFF), bits[3] < 0);
    }

    /// <summary>As the implicit conversion of an integer to <see cref="decimal"/> (scale 0).</summary>
    public static ExactDecimal FromInt64(long value) =>
        new(value < 0 ? (ulong)-value : (ulong)value, 0, 0, value < 0);

    public decimal ToDecimal() => new((int)(uint)_lo, (int)(uint)(_lo >> 32), (int)_hi, _negative, (byte)_scale);

    /// <summary>As <c>(double)</c> of the decimal: the conversion depends on the scale, so it goes through the decimal.</summary>
    public double ToDouble() => (double)ToDecimal();

    /// <summary>The integer mantissa's low 64 bits when it fits them (the order-list hash prints from it).</summary>
    public bool TryGetSmallMantissa(out ulong mantissa)
    {
        mantissa = _lo;
        return _hi == 0;
    }

    public static ExactDecimal operator +(ExactDecimal a, ExactDecimal b) => (a._hi | b._hi) == 0 ? AddSub64(a, b, b._negative) : AddSub(a, b, b._negative);

    public static ExactDecimal operator -(ExactDecimal a, ExactDecimal b) => (a._hi | b._hi) == 0 ? AddSub64(a, b, !b._negative) : AddSub(a, b, !b._negative);

    /// <summary>As decimal negation: flips the sign bit, zero included.</summary>
    public static ExactDecimal operator -(ExactDecimal a) => new(a._lo, a._meta ^ NegativeBit);

    public static ExactDecimal operator *(ExactDecimal a, ExactDecimal b)
    {
        ulong am = a._meta, bm = b._meta, x = a._lo, y = b._lo;
        var scale = (int)((byte)(am >> ScaleShift) + (byte)(bm >> ScaleShift));
        if (((am | bm) & uint.MaxValue) == 0 && scale <= MaxScale)
        {
            var high = Math.BigMul(x, y, out var low);
            if (high <= uint.MaxValue)
            {
                // Decimal's multiplication keeps a zero product's sign and scale only on its 32 × 32-bit path.
                return (high | low) == 0 && (x | y) > uint.MaxValue
                    ? default
                    : new ExactDecimal(low, high | ((ulong)(uint)scale << ScaleShift) | ((am ^ bm) & NegativeBit));
            }
        }

        return FromDecimal(a.ToDecimal() * b.ToDecimal());
    }

    /// <summary>As <see cref="Math.Abs(decimal)"/>: clears the sign bit.</summary>
    public ExactDecimal Abs() => new(_lo, _meta & ~NegativeBit);

    /// <summary>As <see cref="Math.Min(decimal, decimal)"/>: on a tie, <paramref name="b"/> (with its scale).</summary>
    public static ExactDecimal Min(ExactDecimal a, ExactDecimal b) => Compare(a, b) < 0 ? a : b;

    /// <summary>As <see cref="Math.Max(decimal, decimal)"/>: on a tie, <paramref name="a"/> (with its scale).</summary>
    public static ExactDecimal Max(ExactDecimal a, ExactDecimal b) => Compare(a, b) >= 0 ? a : b;

    /// <summary>
    /// As <see cref="decimal.Round(decimal, int, MidpointRounding)"/>: unchanged when it has at most
    /// <paramref name="places"/> places, else rounded to exactly that scale, the sign kept (also on a zero result).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ExactDecimal Round(int places, MidpointRounding mode) => _scale <= places ? this : RoundDown(places, mode);

    private ExactDecimal RoundDown(int places, MidpointRounding mode)
    {
        var drop = _scale - places;
        if (!Small || drop > 19 || places < 0)
        {
            return FromDecimal(decimal.Round(ToDecimal(), places, mode));
        }

        var divisor = Pow10(drop);
        var (q, r) = Math.DivRem(_lo, divisor);
        var up = mode switch
        {
            MidpointRounding.ToZero => false,
            MidpointRounding.ToNegativeInfinity => _negative && r != 0,
            MidpointRounding.ToPositiveInfinity => !_negative && r != 0,
            MidpointRounding.AwayFromZero => r >= divisor / 2 && r != 0 && (divisor > 1),
            _ => r > divisor / 2 || (r == divisor / 2 && r != 0 && (q & 1) != 0),
        };
        return new ExactDecimal(up ? q + 1 : q, 0, (byte)places, _negative);
    }

    public static int Compare(ExactDecimal a, ExactDecimal b)
    {
        ulong am = a._meta, bm = b._meta, x = a._lo, y = b._lo;
        if (((am | bm) & uint.MaxValue) == 0 && ((am ^ bm) & NegativeBit) == 0 && x != 0 && y != 0)
        {
            // The common case: two nonzero 64-bit mantissas of one sign.
            int sa = (byte)(am >> ScaleShift), sb = (byte)(bm >> ScaleShift);
            int magnitudes;
            if (sa == sb)
            {
                magnitudes = x.CompareTo(y);
            }
            else if (sa < sb)
            {
                if (sb - sa > 19)
                {
                    return CompareSlow(a, b);
                }

                magnitudes = Math.BigMul(x, Pow10(sb - sa), out var low) != 0 ? 1 : low.CompareTo(y);
            }
            else
            {
                if (sa - sb > 19)
                {
                    return CompareSlow(a, b);
                }

                magnitudes = Math.BigMul(y, Pow10(sa - sb), out var low) != 0 ? -1 : x.CompareTo(low);
            }

            return (am & NegativeBit) != 0 ? -magnitudes : magnitudes;
        }

        return CompareSlow(a, b);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int CompareSlow(ExactDecimal a, ExactDecimal b)
    {
        if (a.IsZero)
        {
            return b.IsZero ? 0 : b._negative ? 1 : -1;
        }

        if (b.IsZero)
        {
            return a._negative ? -1 : 1;
        }

        if (a._negative != b._negative)
        {
            return a._negative ? -1 : 1;
        }

        var magnitudes = CompareMagnitudes(a, b);
        return a._negative ? -magnitudes : magnitudes;
    }

    public static bool operator <(ExactDecimal a, ExactDecimal b) => Compare(a, b) < 0;

    public static bool operator >(ExactDecimal a, ExactDecimal b) => Compare(a, b) > 0;

    public static bool operator <=(ExactDecimal a, ExactDecimal b) => Compare(a, b) <= 0;

    public static bool operator >=(ExactDecimal a, ExactDecimal b) => Compare(a, b) >= 0;

    /// <summary>Value equality, as <see cref="decimal"/>'s (1.0 equals 1.00; the scales may differ).</summary>
    public static bool operator ==(ExactDecimal a, ExactDecimal b) => Compare(a, b) == 0;

    public static bool operator !=(ExactDecimal a, ExactDecimal b) => Compare(a, b) != 0;

    public bool Equals(ExactDecimal other) => Compare(this, other) == 0;

    public override bool Equals(object? obj) => obj is ExactDecimal other && Equals(other);

    public override int GetHashCode() => ToDecimal().GetHashCode();

    public int CompareTo(ExactDecimal other) => Compare(this, other);

    /// <summary>Same bits as <paramref name="other"/>: mantissa, scale and sign (what <see cref="decimal.GetBits(decimal)"/> shows).</summary>
    public bool IsIdentical(ExactDecimal other) =>
        _lo == other._lo && _meta == other._meta;

    /// <summary>As the decimal's (current culture).</summary>
    public override string ToString() => ToDecimal().ToString();

    /// <summary>Magnitudes of two nonzero values compared (−1, 0, 1).</summary>
    private static int CompareMagnitudes(ExactDecimal a, ExactDecimal b)
    {
        if (a._scale == b._scale)
        {
            return a.Magnitude.CompareTo(b.Magnitude);
        }

        if (a._scale < b._scale)
        {
            return TryScaleUp(a, b._scale - a._scale, out var up) ? up.CompareTo(b.Magnitude) : decimal.Compare(a.Abs().ToDecimal(), b.Abs().ToDecimal());
        }

        return TryScaleUp(b, a._scale - b._scale, out var upB) ? a.Magnitude.CompareTo(upB) : decimal.Compare(a.Abs().ToDecimal(), b.Abs().ToDecimal());
    }

    /// <summary>The magnitude × 10^<paramref name="places"/> as a 128-bit integer, when it surely fits (else false).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryScaleUp(ExactDecimal value, int places, out UInt128 scaled)
    {
        if (value.Small && places <= 19)
        {
            var high = Math.BigMul(value._lo, Pow10(places), out var low);
            scaled = new UInt128(high, low);
            return true;
        }

        if (places <= 9)
        {
            // Below 2^96 × 10^9 < 2^126.
            scaled = value.Magnitude * Pow10(places);
            return true;
        }

        scaled = default;
        return false;
    }

    /// <summary>
    /// <see cref="AddSub"/> for two 64-bit mantissas, in 64-bit arithmetic (the same sign rules); the general path when
    /// an aligned operand or the result needs more than 64 bits.
    /// </summary>
    private static ExactDecimal AddSub64(ExactDecimal a, ExactDecimal b, bool bNegative)
    {
        // Written on the raw fields (no struct temporaries), so that the JIT keeps everything in registers.
        ulong am = a._meta, bm = b._meta, x = a._lo, y = b._lo;
        var signBit = am & NegativeBit;
        var subtract = (signBit != 0) != bNegative;
        int sa = (byte)(am >> ScaleShift), sb = (byte)(bm >> ScaleShift);
        var scale = sa;
        if (sa != sb)
        {
            if (sa < sb)
            {
                if (x == 0)
                {
                    return new ExactDecimal(y, ((ulong)(uint)sb << ScaleShift) | (subtract ? signBit ^ NegativeBit : signBit));
                }

                var d = sb - sa;
                if (d > 19 || Math.BigMul(x, Pow10(d), out x) != 0)
                {
                    return AddSub(a, b, bNegative);
                }

                scale = sb;
            }
            else
            {
                if (y == 0)
                {
                    return a;
                }

                var d = sa - sb;
                if (d > 19 || Math.BigMul(y, Pow10(d), out var scaled) != 0)
                {
                    return AddSub(a, b, bNegative);
                }

                // The aligned sum's first operand is now b (scaled): its sign is a's, flipped by a subtraction.
                y = x;
                x = scaled;
                if (subtract)
                {
                    signBit ^= NegativeBit;
                }
            }
        }

        var meta = (ulong)(uint)scale << ScaleShift;
        if (!subtract)
        {
            var sum = x + y;
            return new ExactDecimal(sum, meta | signBit | (sum < x ? 1UL : 0UL));
        }

        return x >= y ? new ExactDecimal(x - y, meta | signBit) : new ExactDecimal(y - x, meta | (signBit ^ NegativeBit));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Pow10(int places) => PowerTable[places];

    private static ReadOnlySpan<ulong> PowerTable =>
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ];

    /// <summary>
    /// a + (b with sign <paramref name="bNegative"/>), following decimal's addition (DecAddSub) for the sign of the
    /// result — the sign of a zero result included: the operand with the smaller scale is scaled to the other's, and
    /// the result takes the sign of the first operand of that aligned sum, flipped when a subtraction goes below zero.
    /// </summary>
    private static ExactDecimal AddSub(ExactDecimal a, ExactDecimal b, bool bNegative)
    {
        var subtract = a._negative != bNegative;
        UInt128 first, second;
        bool sign;
        int scale;
        if (a._scale == b._scale)
        {
            if (a.Small && b.Small)
            {
                // The common case: 64-bit mantissas at one scale.
                if (!subtract)
                {
                    var sum = a._lo + b._lo;
                    return new ExactDecimal(sum, sum < a._lo ? 1u : 0u, a._scale, a._negative);
                }

                return a._lo >= b._lo
                    ? new ExactDecimal(a._lo - b._lo, 0, a._scale, a._negative)
                    : new ExactDecimal(b._lo - a._lo, 0, a._scale, !a._negative);
            }

            (first, second, sign, scale) = (a.Magnitude, b.Magnitude, a._negative, a._scale);
        }
        else if (a._scale < b._scale)
        {
            if (a.IsZero)
            {
                return new ExactDecimal(b._lo, b._hi, b._scale, a._negative != subtract);
            }

            if (!TryScaleUp(a, b._scale - a._scale, out first))
            {
                return Fallback(a, b, bNegative);
            }

            (second, sign, scale) = (b.Magnitude, a._negative, b._scale);
        }
        else
        {
            if (b.IsZero)
            {
                return a;
            }

            if (!TryScaleUp(b, a._scale - b._scale, out first))
            {
                return Fallback(a, b, bNegative);
            }

            (second, sign, scale) = (a.Magnitude, a._negative != subtract, a._scale);
        }

        UInt128 result;
        if (!subtract)
        {
            result = first + second;
        }
        else if (first >= second)
        {
            result = first - second;
        }
        else
        {
            result = second - first;
            sign = !sign;
        }

        return result <= MaxMantissa ? new ExactDecimal(result, scale, sign) : Fallback(a, b, bNegative);
    }

    private static ExactDecimal Fallback(ExactDecimal a, ExactDecimal b, bool bNegative)
    {
        var right = new ExactDecimal(b._lo, b._hi, b._scale, bNegative).ToDecimal();
        return FromDecimal(a.ToDecimal() + right);
    }
}
