namespace Trading.Sim.Market;

internal enum MarketEventKind : byte
{
    Trade,
    KlineClosed,
}
