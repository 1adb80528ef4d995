using System.Text;
using Trading.Live.Binance;
using Trading.Live.Orders;

namespace Trading.Live.Tests.Binance;

/// <summary>exchangeInfo filters, klines arrays, order results and the client order id codec.</summary>
public sealed class VenueParsersTests
{
    private const string ExchangeInfo = """
        {"timezone":"UTC","serverTime":1565246363776,
         "rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000},
           {"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":50}],"exchangeFilters":[],
         "symbols":[{"symbol":"ETHBTC","status":"TRADING","baseAsset":"ETH","quoteAsset":"BTC","filters":[]},
           {"symbol":"BTCUSDT","status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT","filters":[
             {"filterType":"PRICE_FILTER","minPrice":"0.01000000","maxPrice":"1000000.00000000","tickSize":"0.01000000"},
             {"filterType":"LOT_SIZE","minQty":"0.00001000","maxQty":"9000.00000000","stepSize":"0.00001000"},
             {"filterType":"NOTIONAL","minNotional":"5.00000000","applyMinToMarket":true,"maxNotional":"9000000.00000000","applyMaxToMarket":false,"avgPriceMins":5},
             {"filterType":"MAX_NUM_ORDERS","maxNumOrders":200}]}]}
        """;

    [Fact]
    public void ExchangeInfo_filters_become_the_instrument()
    {
        var rules = ExchangeInfoParser.Parse(Encoding.UTF8.GetBytes(ExchangeInfo), "BTCUSDT");
        Assert.Equal(new Trading.Core.Market.Instrument("BTCUSDT", "BTC", "USDT", 0.01m, 0.00001m, 0.00001m, 5m), rules.Instrument);
        Assert.Equal((9000m, 9_000_000m, 200, "TRADING"), (rules.MaxQuantity, rules.MaxNotional, rules.MaxOpenOrders, rules.Status));
        Assert.Equal(new RateLimitEntry(RateLimitType.Orders, 'S', 10, 50, 0), rules.RateLimits[1]);
        var e = Assert.Throws<FormatException>(() => ExchangeInfoParser.Parse(Encoding.UTF8.GetBytes(ExchangeInfo), "XRPUSDT"));
        Assert.Contains("XRPUSDT", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Klines_keep_only_closed_candles()
    {
        var json = """[[1499040000000,"0.01634790","0.80000000","0.01575800","0.01577100","148976.11427815",1499043599999,"2434.19055334",308,"1756.87402397","28.46694368","0"],[1499043600000,"1","2","0.5","1.5","10",1499047199999,"1",1,"1","1","0"]]""";
        var all = KlineArrayParser.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal(2, all.Count);
        Assert.Equal(new Trading.Core.Market.Candle(1499040000000, 0.0163479, 0.8, 0.015758, 0.015771, 148976.11427815), all[0]);
        Assert.Single(KlineArrayParser.Parse(Encoding.UTF8.GetBytes(json), closedBy: 1499047199998));
    }

    [Fact]
    public void Order_results_of_place_cancel_and_status()
    {
        var ids = new ClientOrderIdCodec(7);
        var parser = new VenueOrderParser(ids);
        var placed = parser.ReadOne(Encoding.UTF8.GetBytes($$"""{"symbol":"BTCUSDT","orderId":12569099453,"orderListId":-1,"clientOrderId":"{{ids.Format(3)}}","transactTime":1660801715639,"price":"23416.10000000","origQty":"0.00847000","executedQty":"0.00000000","origQuoteOrderQty":"0.000000","cummulativeQuoteQty":"0.00000000","status":"NEW","timeInForce":"GTC","type":"LIMIT","side":"SELL","workingTime":1660801715639,"selfTradePreventionMode":"NONE"}"""));
        Assert.Equal((12569099453L, 3L, VenueOrderStatus.New, 0.00847m, 23416.1m, 1660801715639L), (placed.OrderId, placed.Sequence, placed.Status, placed.OriginalQuantity, placed.Price, placed.Time));
        var canceled = parser.ReadOne(Encoding.UTF8.GetBytes($$"""{"symbol":"BTCUSDT","origClientOrderId":"{{ids.Format(3)}}","orderId":1,"orderListId":-1,"clientOrderId":"91fe37ce9e69c90d6358c0","transactTime":1684804350068,"price":"1","origQty":"0.00847000","executedQty":"0.00001000","cummulativeQuoteQty":"0.23416100","status":"CANCELED","side":"SELL"}"""));
        Assert.Equal((0L, 3L, 3L, VenueOrderStatus.Canceled, 0.00001m, 0.234161m), (canceled.Sequence, canceled.OriginalSequence, canceled.OrderSequence, canceled.Status, canceled.ExecutedQuantity, canceled.CumulativeQuote));
        var open = new List<VenueOrder>();
        parser.ReadMany(Encoding.UTF8.GetBytes($$"""[{"orderId":1,"clientOrderId":"{{ids.Format(1)}}","status":"NEW","side":"BUY","updateTime":5},{"orderId":2,"clientOrderId":"{{ids.Format(2)}}","status":"PARTIALLY_FILLED","side":"SELL","updateTime":6}]"""), open);
        Assert.Equal([1L, 2L], open.Select(o => o.Sequence));
        Assert.Equal(VenueOrderStatus.PartiallyFilled, open[1].Status);
    }

    [Fact]
    public void Client_order_ids_round_trip_and_other_runs_are_foreign()
    {
        var a = new ClientOrderIdCodec(123456789);
        var id = a.Format(long.MaxValue);
        Assert.True(id.Length <= 36, id);
        Assert.Matches("^q[0-9a-z]{8}-[0-9]+$", id);
        Assert.True(a.TryParse(id, out var seq));
        Assert.Equal(long.MaxValue, seq);
        Span<byte> utf8 = stackalloc byte[40];
        var n = a.Format(17, utf8);
        Assert.Equal(a.Format(17), Encoding.ASCII.GetString(utf8[..n]));
        Assert.False(new ClientOrderIdCodec(123456788).TryParse(a.Format(17), out _));
        Assert.False(a.TryParse(a.Prefix + "017", out _));
        Assert.False(a.TryParse(a.Prefix, out _));
        Assert.False(a.TryParse(a.Prefix + "-3", out _));
        Assert.False(a.TryParse("web_x", out _));
        Assert.NotEqual(ClientOrderIdCodec.NewRun().RunId, ClientOrderIdCodec.NewRun().RunId);
    }
}
