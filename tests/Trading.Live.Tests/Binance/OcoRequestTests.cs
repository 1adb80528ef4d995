using System.Text;
using System.Text.Json;
using Trading.Core.Orders;
using Trading.Live.Binance;

namespace Trading.Live.Tests.Binance;

/// <summary>orderList.place.oco as written: the params sorted by name (the signing payload), the legs placed above and below.</summary>
public sealed class OcoRequestTests
{
    private static readonly HmacSigner Signer = new("oco-test-secret");

    private static Order Order(in OrderRequest r) => new(new ClientOrderId(1), "BTCUSDT", r, 0);

    [Fact]
    public void A_sell_oco_puts_the_limit_above_and_the_stop_below_in_sorted_order()
    {
        var w = new ApiRequestWriter("k", Signer, "BTCUSDT", recvWindowMs: 5000);
        var frame = w.PlaceOco(9, Order(OrderRequest.StopMarket(OrderSide.Sell, 0.5m, 95.5m)), "q1-2"u8, Order(OrderRequest.Limit(OrderSide.Sell, 0.5m, 110m)), "q1-3"u8, 1_700_000_000_000);
        Assert.Equal("aboveClientOrderId=q1-3&abovePrice=110&aboveType=LIMIT_MAKER&apiKey=k&belowClientOrderId=q1-2&belowStopPrice=95.5&belowType=STOP_LOSS"
            + "&newOrderRespType=ACK&quantity=0.5&recvWindow=5000&side=SELL&symbol=BTCUSDT&timestamp=1700000000000", Encoding.UTF8.GetString(w.LastPayload));
        using var doc = JsonDocument.Parse(frame);
        Assert.Equal("orderList.place.oco", doc.RootElement.GetProperty("method").GetString());
        Assert.Equal(64, doc.RootElement.GetProperty("params").GetProperty("signature").GetString()!.Length);
    }

    [Fact]
    public void A_buy_oco_puts_the_stop_above_and_the_limit_below()
    {
        var w = new ApiRequestWriter("k", Signer, "BTCUSDT");
        w.PlaceOco(9, Order(OrderRequest.StopMarket(OrderSide.Buy, 1m, 120m)), "s"u8, Order(OrderRequest.Limit(OrderSide.Buy, 1m, 90m)), "t"u8, 1);
        Assert.Equal("aboveClientOrderId=s&aboveStopPrice=120&aboveType=STOP_LOSS&apiKey=k&belowClientOrderId=t&belowPrice=90&belowType=LIMIT_MAKER"
            + "&newOrderRespType=ACK&quantity=1&side=BUY&symbol=BTCUSDT&timestamp=1", Encoding.UTF8.GetString(w.LastPayload));
    }
}
