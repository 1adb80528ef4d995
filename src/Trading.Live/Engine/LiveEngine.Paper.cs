using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Paper;

namespace Trading.Live.Engine;

/// <summary>
/// Paper trading (<see cref="LiveSettings.Paper"/>): no WebSocket API connection, no key used. The run starts at once
/// with the paper account (<see cref="LiveSettings.PaperCash"/> of quote, no base) and the configured fee; the market
/// streams are the venue's; orders go to the <see cref="PaperVenue"/> behind the same <see cref="Orders.IVenueClient"/>
/// seam the real venue uses.
/// </summary>
public sealed partial class LiveEngine
{
    /// <summary>The paper venue of a paper run (its balances and counts are the venue's truth); null otherwise.</summary>
    public PaperVenue? Paper => _paper;

    private void StartPaper()
    {
        _observer.OnConnection("paper trading: orders are filled locally, none is sent to the venue");
        BeginTrading(_settings.PaperCash, 0, null);
    }

    /// <summary>After the paper venue reported: a stop may be complete, lockstep may be idle.</summary>
    private void AfterVenueWork()
    {
        MaybeFinishStop();
        LockstepCheck();
    }

    /// <summary>Called for each market event of the current stream before the engine sees it: the last candle's equity point
    /// is taken (LiveEngine.Record.cs); in a paper run the paper venue sees the event first (a quote's fills come before
    /// the strategy's OnQuote, as the simulator sends a print's fills).</summary>
    private void TapMarket(ref MarketMessage message)
    {
        switch (message.Kind)
        {
            case MarketMessageKind.Trade:
                FlushCurve();
                _paper?.OnTrade(message.Trade);
                break;
            case MarketMessageKind.BookTicker:
                _paper?.OnQuote(message.Quote);
                break;
        }
    }
}
