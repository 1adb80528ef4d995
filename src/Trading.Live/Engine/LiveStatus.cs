namespace Trading.Live.Engine;

/// <summary>A snapshot for the status line: last price, position, PnL, open orders, the last tick-to-order latency.</summary>
public readonly record struct LiveStatus(
    long Time,
    decimal LastPrice,
    decimal Position,
    decimal Cash,
    decimal Equity,
    decimal Pnl,
    int OpenOrders,
    double LastTickToOrderMicros,
    long MarketMessages);
