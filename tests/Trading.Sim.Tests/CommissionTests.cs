using Trading.Core.Orders;
using System.Text.Json;
using Trading.Sim.Tests.Support;

namespace Trading.Sim.Tests;

/// <summary>
/// Commission as Binance spot charges it (binance-spot-api-docs faqs/commission_faq.md: "the commission is charged in
/// the asset received"), and the quote-asset option that matches a quote-fee backtest. Account: 1000 USDT, 1 BTC,
/// 0.1 %; after one step the market stands at the 95 print (bid = ask = 95).
/// </summary>
public sealed class CommissionTests
{
    private static async Task<(SimHarness H, WsClient C)> Open(FeeAsset asset)
    {
        var h = await SimHarness.StartAsync(o => o with { FeeAsset = asset });
        h.Server.Step();
        var c = await h.ConnectAsync("/ws-api/v3");
        return (h, c);
    }

    private static Dictionary<string, object> Market(string side, string key, string value) =>
        new() { ["symbol"] = "BTCUSDT", ["side"] = side, ["type"] = "MARKET", [key] = value };

    private static async Task<Dictionary<string, string>> Free(SimHarness h, WsClient c)
    {
        var account = (await c.CallAsync("account.status", h.Signed([]))).GetProperty("result");
        return account.GetProperty("balances").EnumerateArray()
            .ToDictionary(b => b.GetProperty("asset").GetString()!, b => b.GetProperty("free").GetString()!);
    }

    [Fact]
    public async Task Received_a_buy_pays_in_base_a_sell_in_quote_in_replies_reports_and_trades()
    {
        var (h, c) = await Open(FeeAsset.Received);
        await using var sim = h;
        await c.CallAsync("userDataStream.subscribe.signature", h.Signed([]));
        // 0.33333 BTC × 0.1 % = 0.00033333 BTC (received: base).
        var buy = (await c.CallAsync("order.place", h.Signed(Market("BUY", "quantity", "0.33333")))).GetProperty("result");
        var fill = buy.GetProperty("fills")[0];
        Assert.Equal(("0.00033333", "BTC"), (fill.GetProperty("commission").GetString(), fill.GetProperty("commissionAsset").GetString()));
        // 0.5 BTC × 95 = 47.5 USDT received, fee 0.0475 USDT (quote).
        var sell = (await c.CallAsync("order.place", h.Signed(Market("SELL", "quantity", "0.5")))).GetProperty("result");
        fill = sell.GetProperty("fills")[0];
        Assert.Equal(("0.04750000", "USDT"), (fill.GetProperty("commission").GetString(), fill.GetProperty("commissionAsset").GetString()));

        var reports = new List<(string N, string n)>();
        while (reports.Count < 2)
        {
            var e = (await c.NextEventAsync()).GetProperty("event");
            if (e.GetProperty("e").GetString() == "executionReport" && e.GetProperty("x").GetString() == "TRADE")
            {
                reports.Add((e.GetProperty("N").GetString()!, e.GetProperty("n").GetString()!));
            }
        }

        Assert.Equal([("BTC", "0.00033333"), ("USDT", "0.04750000")], reports);
        var trades = (await c.CallAsync("myTrades", h.Signed(new() { ["symbol"] = "BTCUSDT" }))).GetProperty("result");
        Assert.Equal(["BTC", "USDT"], trades.EnumerateArray().Select(t => t.GetProperty("commissionAsset").GetString()));
        // BTC: 1 + 0.33333 − 0.00033333 − 0.5 = 0.83299667; USDT: 1000 − 31.66635 + 47.5 − 0.0475 = 1015.78615.
        var free = await Free(h, c);
        Assert.Equal("0.83299667", free["BTC"]);
        Assert.Equal("1015.78615000", free["USDT"]);
    }

    [Fact]
    public async Task Commission_is_rounded_to_8_decimals_midpoint_away_from_zero()
    {
        // Received: 5 BTC × 0.000000005 = 0.000000025, a midpoint: away from zero gives 0.00000003 (to even: ...02).
        await using var r = await SimHarness.StartAsync(o => o with { TakerFeeRate = 0.000000005m });
        r.Server.Step();
        var rc = await r.ConnectAsync("/ws-api/v3");
        var rb = (await rc.CallAsync("order.place", r.Signed(Market("BUY", "quantity", "5")))).GetProperty("result");
        Assert.Equal("0.00000003", rb.GetProperty("fills")[0].GetProperty("commission").GetString());

        // Quote: 0.5 × 95 = 47.5 USDT × 0.000000005 = 0.0000002375 → 0.00000024.
        await using var h = await SimHarness.StartAsync(o => o with { FeeAsset = FeeAsset.Quote, TakerFeeRate = 0.000000005m });
        h.Server.Step();
        var c = await h.ConnectAsync("/ws-api/v3");
        var buy = (await c.CallAsync("order.place", h.Signed(Market("BUY", "quantity", "0.5")))).GetProperty("result");
        Assert.Equal("0.00000024", buy.GetProperty("fills")[0].GetProperty("commission").GetString());
    }

    [Fact]
    public async Task Received_a_market_buy_of_the_whole_free_quote_fills_quote_refuses_it()
    {
        // 1000 USDT / 95 = 10.52631 BTC (lot 0.00001) for 999.99945 USDT: with the fee in base it fits the balance.
        var (h, c) = await Open(FeeAsset.Received);
        await using (h)
        {
            var r = (await c.CallAsync("order.place", h.Signed(Market("BUY", "quoteOrderQty", "1000")))).GetProperty("result");
            Assert.Equal(("FILLED", "10.52631000"), (r.GetProperty("status").GetString(), r.GetProperty("executedQty").GetString()));
            var free = await Free(h, c);
            Assert.Equal("0.00055000", free["USDT"]);
            Assert.Equal("11.51578369", free["BTC"]); // 1 + 10.52631 − 0.01052631
        }

        // Quote (today's behaviour): the fee comes on top of the notional, so the same order is refused with -2010.
        var (q, qc) = await Open(FeeAsset.Quote);
        await using (q)
        {
            var r = await qc.CallAsync("order.place", q.Signed(Market("BUY", "quoteOrderQty", "1000")));
            Assert.Equal(-2010, r.GetProperty("error").GetProperty("code").GetInt32());
            var ok = (await qc.CallAsync("order.place", q.Signed(Market("BUY", "quantity", "0.5")))).GetProperty("result");
            var fill = ok.GetProperty("fills")[0];
            Assert.Equal(("0.04750000", "USDT"), (fill.GetProperty("commission").GetString(), fill.GetProperty("commissionAsset").GetString()));
            var free = await Free(q, qc);
            Assert.Equal(("1.50000000", "952.45250000"), (free["BTC"], free["USDT"]));
        }
    }
}
