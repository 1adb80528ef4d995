namespace Trading.Live.Binance;

/// <summary>A <c>listStatus</c> event (an OCO's life), binance.md §4.4: up to three member orders, by this run's sequence numbers.</summary>
public struct ListStatus
{
    public const int MaxMembers = 3;

    public long EventTime;
    public long OrderListId;

    /// <summary><c>l</c> is <c>ALL_DONE</c>: the list is finished.</summary>
    public bool AllDone;

    /// <summary><c>L</c> is <c>REJECT</c>.</summary>
    public bool Rejected;
    public long ListSequence;
    public int MemberCount;
    public long Member0;
    public long Member1;
    public long Member2;
}
