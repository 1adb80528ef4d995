using EventLoop;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Live.Orders;
using Trading.Live.Paper;
using Trading.Live.Tests.Orders;

namespace Trading.Live.Tests.Paper;

/// <summary>
/// The paper venue: the backtest's fill model at the touch, the shared commission rule, a local account, and reports
/// that reach the order manager only on a later loop turn (never from inside the call that sent the order).
/// </summary>
public sealed class PaperVenueTests : IDisposable
{
    private readonly Loop _loop = new();
    private readonly RecordingListener _events = new();
    private readonly OrderManager _orders;
    private readonly PaperVenue _venue;
    private long _now = 1_000;
    private int _afterWork;

    public PaperVenueTests()
    {
        _orders = new OrderManager(new ClientOrderIdCodec(7), "BTCUSDT", _events);
        _venue = new PaperVenue(_loop, Instrument.BtcUsdt, _orders, 10_000m, 0.001m, FeeAsset.Quote, () => _now, () => _afterWork++);
    }

    public void Dispose() => _loop.Dispose();

    [Fact]
    public void A_market_buy_fills_at_the_ask_on_the_next_loop_turn_and_pays_the_fee_from_cash()
    {
        Quote(100m, 101m);
        var o = Send(OrderRequest.Market(OrderSide.Buy, 2m));
        Assert.Empty(_events.Lines); // nothing inside the call
        Assert.Equal(1, _venue.PendingCount);
        Turn();
        Assert.Equal(["accepted 1", "fill 1 2@101 t1 fee 0.202 (0.202 Quote)"], _events.Lines);
        Assert.Equal(LiveOrderState.Filled, o.State);
        Assert.Equal((10_000m - 202m - 0.202m, 2m), (_venue.QuoteBalance, _venue.BaseBalance));
        Assert.Equal((0, 1), (_venue.PendingCount, _afterWork));
    }

    [Fact]
    public void A_quote_sized_buy_gets_the_largest_lot_multiple_the_budget_pays_for()
    {
        Quote(100m, 100m);
        Send(OrderRequest.MarketQuote(OrderSide.Buy, 1_000.004m));
        Turn();
        Assert.Equal("fill 1 10.00004@100 t1 fee 1.00000400 (1.00000400 Quote)", _events.Lines[1]);
    }

    [Fact]
    public void A_resting_limit_fills_when_the_touch_reaches_it_as_maker_and_a_cancel_ends_the_other()
    {
        Quote(100m, 101m);
        var buy = Send(OrderRequest.Limit(OrderSide.Buy, 1m, 99m));
        var other = Send(OrderRequest.Limit(OrderSide.Buy, 1m, 90m));
        Turn();
        Assert.Equal(["accepted 1", "accepted 2"], _events.Lines);
        Quote(97m, 98m); // through the limit: it fills at its own price, not at the better touch
        Assert.Equal("fill 1 1@99 t1 fee 0.099 (0.099 Quote)", _events.Lines[2]);
        Assert.Equal(LiveOrderState.Filled, buy.State);
        Assert.True(_orders.RequestCancel(other.Sequence));
        _venue.Cancel(other, 0);
        Turn();
        Assert.Equal("canceled 2", _events.Lines[^1]);
    }

    [Fact]
    public void A_stop_the_touch_already_crossed_is_refused_and_one_it_crosses_later_fills_at_the_touch()
    {
        Quote(100m, 100m);
        BuyTen();
        Send(OrderRequest.StopMarket(OrderSide.Sell, 1m, 100m));
        var stop = Send(OrderRequest.StopMarket(OrderSide.Sell, 1m, 95m));
        Turn();
        Assert.Contains("rejected 2: paper: stop price would trigger immediately", _events.Lines);
        Quote(94m, 94.5m);
        Assert.Equal(LiveOrderState.Filled, stop.State);
        Assert.Equal("fill 3 1@94 t2 fee 0.094 (0.094 Quote)", _events.Lines[^1]);
    }

    [Fact]
    public void An_oco_fills_the_stop_leg_when_a_quote_reaches_both_and_expires_the_other()
    {
        Quote(100m, 100m);
        BuyTen();
        var stop = _orders.Create(OrderRequest.StopMarket(OrderSide.Sell, 10m, 95m), _now);
        var take = _orders.Create(OrderRequest.Limit(OrderSide.Sell, 10m, 105m), _now);
        _venue.PlaceOco(stop, take, 0);
        Turn();
        Assert.Equal(LiveOrderState.New, take.State);
        Quote(94m, 94m);
        Assert.Equal((LiveOrderState.Filled, LiveOrderState.Expired), (stop.State, take.State));
        Quote(110m, 110m); // the limit leg is gone: nothing more fills
        Assert.Equal(2, _venue.Trades);
    }

    [Fact]
    public void An_oco_that_does_not_bracket_the_market_rejects_both_legs()
    {
        Quote(100m, 100m);
        BuyTen();
        var stop = _orders.Create(OrderRequest.StopMarket(OrderSide.Sell, 10m, 101m), _now);
        var take = _orders.Create(OrderRequest.Limit(OrderSide.Sell, 10m, 105m), _now);
        _venue.PlaceOco(stop, take, 0);
        Turn();
        Assert.Equal((LiveOrderState.Rejected, LiveOrderState.Rejected), (stop.State, take.State));
    }

    [Fact]
    public void A_buy_the_cash_does_not_cover_is_rejected_and_moves_nothing()
    {
        Quote(100m, 100m);
        var o = Send(OrderRequest.Market(OrderSide.Buy, 100m)); // 10,000 + fee > 10,000
        Turn();
        Assert.Equal(LiveOrderState.Rejected, o.State);
        Assert.Equal((10_000m, 0m, 0), (_venue.QuoteBalance, _venue.BaseBalance, _venue.Trades));
    }

    [Fact]
    public void With_the_fee_in_the_asset_received_a_buy_pays_in_base()
    {
        var venue = new PaperVenue(_loop, Instrument.BtcUsdt, _orders, 10_000m, 0.001m, FeeAsset.Received, () => _now, () => { });
        venue.OnQuote(new Quote(_now, 100, 1, 100, 1));
        venue.Place(_orders.Create(OrderRequest.Market(OrderSide.Buy, 3m), _now), 0);
        Turn();
        Assert.Equal((9_700m, 2.997m), (venue.QuoteBalance, venue.BaseBalance));
        Assert.Equal("fill 1 3@100 t1 fee 0.300 (0.003 Base)", _events.Lines[1]);
    }

    [Fact]
    public void Before_any_quote_the_last_trade_price_is_the_touch_and_a_closed_venue_sends_nothing()
    {
        _venue.OnTrade(new Trade(_now, 50, 1, false, 1));
        Send(OrderRequest.Market(OrderSide.Buy, 1m));
        Turn();
        Assert.Equal("fill 1 1@50 t1 fee 0.050 (0.050 Quote)", _events.Lines[1]);
        _venue.Close();
        Assert.False(_venue.IsOpen);
        Assert.Equal(-1, _venue.Place(_orders.Create(OrderRequest.Market(OrderSide.Buy, 1m), _now), 0));
    }

    private void BuyTen()
    {
        Send(OrderRequest.Market(OrderSide.Buy, 10m));
        Turn();
        _events.Lines.Clear();
    }

    private LiveOrder Send(in OrderRequest request)
    {
        var o = _orders.Create(request, _now);
        Assert.Equal(0, _venue.Place(o, 0));
        return o;
    }

    private void Quote(decimal bid, decimal ask) => _venue.OnQuote(new Quote(++_now, (double)bid, 1, (double)ask, 1));

    private void Turn() => _loop.Run(RunMode.NoWait);
}
