namespace Trading.Live.Reconcile;

/// <summary>The instrument's two assets as the venue holds them (account.status).</summary>
public readonly record struct VenueBalances(decimal BaseFree, decimal BaseLocked, decimal QuoteFree, decimal QuoteLocked)
{
    public decimal Base => BaseFree + BaseLocked;

    public decimal Quote => QuoteFree + QuoteLocked;
}
