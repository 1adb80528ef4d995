using System.Globalization;

namespace Trading.Core.Orders;

/// <summary>
/// The engine's id for one of the strategy's orders: a number, unique within one run (the backtest and the live engine
/// count 1, 2, 3, … in submission order; 0 is <see cref="None"/>). It becomes text only at a venue's edge, as
/// <c>q&lt;run&gt;-&lt;n&gt;</c> (<see cref="TryFormat"/>), which Binance accepts as a <c>newClientOrderId</c>
/// (at most 36 characters of <c>[.A-Z:/a-z0-9_-]</c>); <paramref name="Value"/> stays the key everywhere inside,
/// so ids cost no allocation and compare as one integer.
/// </summary>
/// <param name="Value">The order's sequence number in its run; positive for a real order.</param>
public readonly record struct ClientOrderId(long Value)
{
    /// <summary>The longest text <see cref="TryFormat"/> may write (Binance's limit for a client order id).</summary>
    public const int MaxVenueLength = 36;

    /// <summary>No order (what an OCO partner reads when the order is not in a list).</summary>
    public static ClientOrderId None => default;

    public bool IsNone => Value == 0;

    /// <summary>
    /// Writes <c>q{run}-{Value}</c> (invariant digits) into <paramref name="destination"/>. False, with nothing
    /// usable written, when it does not fit or would exceed <see cref="MaxVenueLength"/>, or when
    /// <paramref name="run"/> or <see cref="Value"/> is negative. The run number keeps ids of different runs
    /// (restarts of a live engine) apart at the venue.
    /// </summary>
    public bool TryFormat(Span<char> destination, out int written, long run)
    {
        written = 0;
        if (run < 0 || Value < 0 || destination.Length < 4)
        {
            return false;
        }

        destination[0] = 'q';
        if (!run.TryFormat(destination[1..], out var r, default, CultureInfo.InvariantCulture) || 1 + r >= destination.Length)
        {
            return false;
        }

        destination[1 + r] = '-';
        var start = 2 + r;
        if (!Value.TryFormat(destination[start..], out var n, default, CultureInfo.InvariantCulture) || start + n > MaxVenueLength)
        {
            return false;
        }

        written = start + n;
        return true;
    }

    /// <summary><see cref="TryFormat"/> as a new string (for a venue request; allocates).</summary>
    public string Format(long run)
    {
        Span<char> buffer = stackalloc char[48];
        return TryFormat(buffer, out var written, run)
            ? new string(buffer[..written])
            : throw new ArgumentOutOfRangeException(nameof(run), $"client order id {Value} of run {run} does not fit {MaxVenueLength} characters");
    }

    /// <summary>
    /// Reads an id written by <see cref="TryFormat"/> for <paramref name="run"/>. False for any other text, an id of
    /// another run included: such an order is not this run's (a manual order, or a previous run's).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, long run, out ClientOrderId id)
    {
        id = None;
        if (text.Length < 4 || text[0] != 'q')
        {
            return false;
        }

        var dash = text.IndexOf('-');
        if (dash < 2
            || !long.TryParse(text[1..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var r) || r != run
            || !long.TryParse(text[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return false;
        }

        id = new ClientOrderId(n);
        return true;
    }

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
