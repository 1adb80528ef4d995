namespace Trading.Live.Connection;

/// <summary>
/// Whether a new measurement of the offset to the venue's clock replaces the one in use. A sample is
/// <c>serverTime − (receive time − round trip / 2)</c>, off by at most half its round trip: the venue stamped its time
/// somewhere inside it. A loaded machine makes round trips long and lopsided, so a later sample can be far worse than
/// the one in use — taken blindly, one moved the estimate hundreds of ms ahead of the venue's clock, enough to end a
/// wait early and land requests where the venue counts them against a ban.
/// <para>Taken: a sample at least as tight as the one in use, or within <see cref="AlwaysTakeWithinMs"/> (clocks drift, so
/// a fair sample now is worth more than a perfect one an hour old); or one that contradicts the one in use — the two
/// intervals <c>offset ± uncertainty</c> do not overlap, so the one in use is wrong (the local clock jumped).</para>
/// </summary>
internal static class ClockSample
{
    /// <summary>Samples whose uncertainty (half the round trip) is at most this are always taken.</summary>
    public const long AlwaysTakeWithinMs = 100;

    /// <param name="currentOffset">The offset in use (ms).</param>
    /// <param name="currentUncertainty">How far off it can be (ms); <see cref="long.MaxValue"/> when not known.</param>
    /// <param name="offset">The new sample's offset (ms).</param>
    /// <param name="uncertainty">Half the new sample's round trip (ms).</param>
    public static bool Improves(long currentOffset, long currentUncertainty, long offset, long uncertainty)
    {
        if (uncertainty <= Math.Max(currentUncertainty, AlwaysTakeWithinMs))
        {
            return true;
        }

        return Math.Abs(offset - currentOffset) - uncertainty > currentUncertainty;
    }
}
