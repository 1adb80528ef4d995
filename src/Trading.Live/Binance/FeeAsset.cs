namespace Trading.Live.Binance;

/// <summary>Which of the instrument's assets a commission was charged in.</summary>
public enum FeeAsset : byte
{
    /// <summary>No commission on this event (not a fill, or <c>N</c> null).</summary>
    None,
    Base,
    Quote,

    /// <summary>A third asset (BNB): the position and cash do not move by it.</summary>
    Other,
}
