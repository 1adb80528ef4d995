using System.Text.Json;
using Trading.Core.Orders;
using Trading.Live.Binance;
using Trading.Live.Journal;
using Trading.Live.Orders;

namespace Quant.Tests.Reliability;

/// <summary>
/// The checker the soak and crash tests rely on, on hand-made venue truths and journals: it passes a consistent pair
/// and catches each kind of break (so a green soak or crash run means the invariants held, not that nothing was checked).
/// </summary>
public sealed class ReliabilityInvariantsTests
{
    private const string Venue = """
        {"time":1,"finished":true,
         "orders":[{"orderId":1,"clientOrderId":"q-1","status":"FILLED","executedQty":"0.5"},
                   {"orderId":2,"clientOrderId":"sim-0000000001","status":"CANCELED","executedQty":"0"}],
         "trades":[{"id":7,"orderId":1,"qty":"0.5","price":"100"}],
         "balances":[{"asset":"BTC","free":"0.5","locked":"0"},{"asset":"USDT","free":"950","locked":"0"}],
         "placed":[{"orderId":1,"clientOrderId":"q-1"},{"orderId":2,"clientOrderId":"q-2"}],
         "placements":{"q-1":1,"q-2":1},
         "requests":{"order_place":3,"orders_placed":2,"refused_429":0,"refused_418":0},
         "faults":{"drop":0,"synthetic":{"malformed":0}}}
        """;

    private static JournalOrder Order(string id, LiveOrderState state, decimal filled) =>
        new(id, 1, OrderSide.Buy, OrderType.Limit, TimeInForce.Gtc, 0.5m, 100m, 0, 0, null, state, 0, filled, 1, 2, null, filled);

    private static JournalState Journal(params JournalOrder[] orders) => new(
        orders,
        [new JournalFill(7, "q-1", 1, OrderSide.Buy, 1, 0.5m, 100m, 0, CommissionAsset.Quote, false)],
        [new JournalSnapshot(2, 0.5m, 950m)],
        2,
        7);

    private static readonly JournalOrder[] Consistent =
        [Order("q-1", LiveOrderState.Filled, 0.5m), Order("q-2", LiveOrderState.Canceled, 0), Order("q-3", LiveOrderState.Rejected, 0)];

    private static JsonElement Summary(decimal cash = 950m, decimal position = 0.5m) =>
        JsonDocument.Parse($$"""{"final_cash":{{cash}},"final_position":{{position}}}""").RootElement;

    private static VenueTruth Truth(string json = Venue) => VenueTruth.Parse(json);

    [Fact]
    public void A_consistent_run_passes()
    {
        ReliabilityInvariants.AssertAll(Truth(), Journal(Consistent), Summary());
    }

    [Fact]
    public void A_client_order_id_placed_twice_fails()
    {
        var e = Assert.ThrowsAny<Exception>(() => ReliabilityInvariants.AssertAll(Truth(Venue.Replace("\"q-1\":1", "\"q-1\":2")), Journal(Consistent), Summary()));
        Assert.Contains("q-1×2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_venue_order_the_journal_never_had_fails()
    {
        var e = Assert.ThrowsAny<Exception>(() => ReliabilityInvariants.AssertAll(Truth(), Journal(Consistent[0], Consistent[2]), Summary()));
        Assert.Contains("no intent in the journal: q-2", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LiveOrderState.PendingCancel, "0.5", "not final")]
    [InlineData(LiveOrderState.Canceled, "0.5", "journal Canceled, venue FILLED")]
    [InlineData(LiveOrderState.Filled, "0.4", "journal filled 0.4, venue executed 0.5")]
    public void An_intent_that_disagrees_with_the_venue_fails(LiveOrderState state, string filled, string expected)
    {
        var orders = Consistent.ToArray();
        orders[0] = Order("q-1", state, decimal.Parse(filled, System.Globalization.CultureInfo.InvariantCulture));
        var e = Assert.ThrowsAny<Exception>(() => ReliabilityInvariants.AssertAll(Truth(), Journal(orders), Summary()));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_intent_the_venue_never_had_must_be_rejected()
    {
        var orders = Consistent.ToArray();
        orders[2] = Order("q-3", LiveOrderState.Canceled, 0);
        var e = Assert.ThrowsAny<Exception>(() => ReliabilityInvariants.AssertAll(Truth(), Journal(orders), Summary()));
        Assert.Contains("q-3: journal Canceled, but the venue never had it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_venue_trade_the_journal_lacks_fails()
    {
        var truth = Truth(Venue.Replace("""[{"id":7,"orderId":1,"qty":"0.5","price":"100"}]""",
            """[{"id":7,"orderId":1,"qty":"0.5","price":"100"},{"id":8,"orderId":1,"qty":"0","price":"100"}]"""));
        var e = Assert.ThrowsAny<Exception>(() => ReliabilityInvariants.AssertAll(truth, Journal(Consistent), Summary()));
        Assert.Contains("venue trades the journal lacks: 8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cash_position_or_snapshot_unlike_the_venues_fail()
    {
        Assert.ThrowsAny<Exception>(() => ReliabilityInvariants.AssertAll(Truth(), Journal(Consistent), Summary(cash: 949m)));
        Assert.ThrowsAny<Exception>(() => ReliabilityInvariants.AssertAll(Truth(), Journal(Consistent), Summary(position: 0.4m)));
        var stale = Journal(Consistent) with { Snapshots = [new JournalSnapshot(2, 0.4m, 950m)] };
        var e = Assert.ThrowsAny<Exception>(() => ReliabilityInvariants.AssertAll(Truth(), stale, Summary()));
        Assert.Contains("last snapshot", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_418_fails()
    {
        var e = Assert.ThrowsAny<Exception>(() => ReliabilityInvariants.AssertAll(Truth(Venue.Replace("\"refused_418\":0", "\"refused_418\":3")), Journal(Consistent), Summary()));
        Assert.Contains("418", e.Message, StringComparison.Ordinal);
    }
}
