namespace Trading.Core.Data;

/// <summary>What part of the data to keep. Every record is still validated, whatever the range: a file that is broken
/// outside the range is reported the same way as one broken inside it (same input, same answer).</summary>
public sealed class CandleLoadOptions
{
    /// <summary>Keep candles whose open time is at or after this (ms since the epoch, UTC, inclusive); null: from the start.</summary>
    public long? From { get; init; }

    /// <summary>Keep candles whose open time is before this (ms since the epoch, UTC, exclusive); null: to the end.</summary>
    public long? To { get; init; }

    internal bool Keeps(long openTime) =>
        (From is not { } from || openTime >= from) && (To is not { } to || openTime < to);
}
