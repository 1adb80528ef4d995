using Trading.Sim.Api;
using Trading.Sim.Market;

namespace Trading.Sim;

/// <summary>Lockstep: stepping by candles, the replay's state, idleness and the exchange's own view (truth).</summary>
internal sealed partial class SimExchange
{
    private long _requestsInFlight;

    /// <summary>
    /// Emits market events until <paramref name="candles"/> kline closes have been emitted (a candle is five events:
    /// its four trade prints, then the close); returns how many events that took (fewer at the end of the data).
    /// </summary>
    public int StepCandles(int candles)
    {
        lock (_gate)
        {
            var events = 0;
            var closes = 0;
            while (closes < candles && _market.NextEventKind is { } kind && StepOne())
            {
                events++;
                if (kind == MarketEventKind.KlineClosed)
                {
                    closes++;
                }
            }

            return events;
        }
    }

    public SimState State(double speed)
    {
        lock (_gate)
        {
            var idle = Interlocked.Read(ref _requestsInFlight) == 0 && _connections.All(c => c.Unsent == 0);
            return new SimState(_market.Now, _market.LastEventCandle, _market.EventsLeft, idle, speed);
        }
    }

    /// <summary>A request was received: the exchange is not idle until it is answered (<see cref="EndRequest"/>).</summary>
    public void BeginRequest() => Interlocked.Increment(ref _requestsInFlight);

    public void EndRequest() => Interlocked.Decrement(ref _requestsInFlight);

    /// <summary>
    /// The exchange's own view, never touched by faults: <c>{"orders":[…],"trades":[…],"balances":[…]}</c> in the
    /// shapes of allOrders, myTrades and the account's balances (every asset, zero ones included).
    /// </summary>
    public byte[] Truth()
    {
        lock (_gate)
        {
            return BinanceJson.Build(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("orders");
                foreach (var o in _engine.AllOrders)
                {
                    BinanceJson.OrderStatus(w, _symbol, o.Snapshot());
                }

                w.WriteEndArray();
                w.WriteStartArray("trades");
                foreach (var (f, _) in _engine.Trades)
                {
                    BinanceJson.MyTrade(w, _symbol, f);
                }

                w.WriteEndArray();
                w.WriteStartArray("balances");
                foreach (var b in _engine.Balances)
                {
                    BinanceJson.Balance(w, b);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        }
    }
}
