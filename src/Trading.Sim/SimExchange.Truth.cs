using Trading.Sim.Api;
using Trading.Sim.Matching;

namespace Trading.Sim;

/// <summary>
/// The exchange's own view (<c>GET /sim/truth</c>), never touched by faults: what a test checks a client against after
/// a run — every order and trade, the balances, which client order ids were placed how often, the refusals and the
/// faults injected.
/// </summary>
internal sealed partial class SimExchange
{
    private readonly Dictionary<string, int> _placements = new(StringComparer.Ordinal);
    private readonly List<(long OrderId, string ClientOrderId)> _placed = [];
    private long _placeRequests;
    private long _refused429;
    private long _refused418;

    /// <summary>An order was created on the venue (placed: an unknown-outcome order that went in counts; one refused
    /// does not). Keyed by the client order id it was placed with (a cancel renames the order; this keeps the original).</summary>
    private void NotePlaced(in OrderSnapshot order)
    {
        _placed.Add((order.OrderId, order.ClientOrderId));
        _placements[order.ClientOrderId] = _placements.GetValueOrDefault(order.ClientOrderId) + 1;
    }

    /// <summary>Counts a request or connection refused with 429 (rate limit) or 418 (banned). Thread-safe.</summary>
    public void CountRefusal(int status)
    {
        if (status == 418)
        {
            Interlocked.Increment(ref _refused418);
        }
        else if (status == 429)
        {
            Interlocked.Increment(ref _refused429);
        }
    }

    /// <summary>
    /// <c>{"time","finished","orders":[…],"trades":[…],"balances":[…],"placed":[{"orderId","clientOrderId"}…],
    /// "placements":{"cid":n…},"requests":{"order_place","orders_placed","refused_429","refused_418"},"faults":{…}}</c>.
    /// orders, trades and balances have the shapes of allOrders, myTrades and the account's balances (every asset, zero
    /// ones included); <c>placed</c> lists every order created, in order, with the client order id it was placed with
    /// (orders renamed by a cancel keep theirs here); <c>placements</c> counts orders created per client order id (a
    /// client that never places an id twice has only 1s); <c>refused_418</c> counts 418 answers and connections
    /// refused while banned; <c>faults</c> is what <c>GET /sim/faults</c> answers.
    /// </summary>
    public byte[] Truth()
    {
        lock (_gate)
        {
            return BinanceJson.Build(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("time", _market.Now);
                w.WriteBoolean("finished", _market.EventsLeft == 0);
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
                w.WriteStartArray("placed");
                foreach (var (orderId, cid) in _placed)
                {
                    w.WriteStartObject();
                    w.WriteNumber("orderId", orderId);
                    w.WriteString("clientOrderId", cid);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartObject("placements");
                foreach (var (cid, n) in _placements)
                {
                    w.WriteNumber(cid, n);
                }

                w.WriteEndObject();
                w.WriteStartObject("requests");
                w.WriteNumber("order_place", _placeRequests);
                w.WriteNumber("orders_placed", _placed.Count);
                w.WriteNumber("refused_429", Interlocked.Read(ref _refused429));
                w.WriteNumber("refused_418", Interlocked.Read(ref _refused418));
                w.WriteEndObject();
                w.WritePropertyName("faults");
                w.WriteRawValue(Faults.ToJson(), skipInputValidation: true);
                w.WriteEndObject();
            });
        }
    }
}
