using System.Runtime.CompilerServices;

namespace Trading.Backtest.Results;

/// <summary>
/// A decimal's integer mantissa, scale and sign read in place, without <see cref="decimal.GetBits(decimal, Span{int})"/>
/// and its buffer: the order-list hash prints two decimals per fill from these.
/// Trap: this mirrors <see cref="decimal"/>'s private fields in their declared order — flags (scale in bits 16–23, sign
/// in bit 31), high 32 bits, low 64 bits — the layout of OLE's DECIMAL that .NET keeps for interop. A test compares it
/// with <see cref="decimal.GetBits(decimal)"/> on random values, so a runtime that changed the layout fails it.
/// </summary>
internal readonly struct DecimalParts
{
    private readonly int _flags;
    private readonly uint _hi32;
    private readonly ulong _lo64;

    /// <summary>The parts of <paramref name="value"/> (a view of its bytes, not a copy).</summary>
    public static ref readonly DecimalParts Of(ref readonly decimal value) =>
        ref Unsafe.As<decimal, DecimalParts>(ref Unsafe.AsRef(in value));

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> are the same bits: the same value and the same scale (and sign).</summary>
    public static bool SameBits(ref readonly decimal a, ref readonly decimal b)
    {
        ref readonly var x = ref Of(in a);
        ref readonly var y = ref Of(in b);
        return x._lo64 == y._lo64 && x._hi32 == y._hi32 && x._flags == y._flags;
    }

    /// <summary>
    /// <see cref="decimal.Compare(decimal, decimal)"/>'s sign (−1, 0 or 1): two non-negative decimals of the same scale
    /// with 64-bit mantissas (a quantity and the position or the lot step, usually) compare as their mantissas;
    /// anything else goes to <see cref="decimal.Compare(decimal, decimal)"/>.
    /// </summary>
    public static int Compare(ref readonly decimal a, ref readonly decimal b)
    {
        ref readonly var x = ref Of(in a);
        ref readonly var y = ref Of(in b);
        if (x._flags == y._flags && x._flags >= 0 && (x._hi32 | y._hi32) == 0)
        {
            return x._lo64.CompareTo(y._lo64);
        }

        return Math.Sign(decimal.Compare(a, b));
    }

    /// <summary>
    /// Whether x + z and x − z are x to the bit: z is a zero without the sign bit, of no more decimal places than x.
    /// decimal's addition then returns x itself — value, scale and sign (at equal scales it adds or subtracts a zero
    /// mantissa; at a smaller scale it takes its "left operand is zero, return the right" path, which keeps x's scale
    /// and sign). A test checks the identity on random decimals of every sign and scale. The usual case: a fee of zero
    /// (a fee rate of 0) added to the fees paid, or taken off the cash change.
    /// </summary>
    public static bool LeavesUnchanged(ref readonly decimal x, ref readonly decimal z)
    {
        ref readonly var a = ref Of(in x);
        ref readonly var b = ref Of(in z);
        return (b._lo64 | b._hi32) == 0 && b._flags >= 0 && b._flags <= (a._flags & 0x00FF0000);
    }

    /// <summary>The bits of the literal 0: zero, scale 0, no sign (decimal equality would also take 0.00, which prints otherwise).</summary>
    public static bool IsPlainZero(ref readonly decimal value)
    {
        ref readonly var p = ref Of(in value);
        return p._flags == 0 && (p._lo64 | p._hi32) == 0;
    }

    /// <summary>The value is zero (of either sign, at any scale).</summary>
    public bool IsZero => (_lo64 | _hi32) == 0;

    /// <summary>The mantissa's low 64 bits.</summary>
    public ulong Low64 => _lo64;

    /// <summary>The mantissa's high 32 bits (the mantissa is 96 bits).</summary>
    public uint High32 => _hi32;

    /// <summary>The power of ten the mantissa is divided by, 0 to 28.</summary>
    public int Scale => (byte)(_flags >> 16);

    /// <summary>The sign bit (set for negative values, and for a negative zero).</summary>
    public bool IsNegative => _flags < 0;
}
