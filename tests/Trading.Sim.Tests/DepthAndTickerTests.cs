using System.Text.Json;
using Trading.Sim.Tests.Support;
using static Trading.Sim.Tests.Support.TestCandles;

namespace Trading.Sim.Tests;

/// <summary>
/// 24hr tickers and depth (web-socket-streams.md, rest-api.md), from the replay and the documented synthetic book:
/// level i at bid − i ticks / ask + i ticks with quantity Q × (i + 1), Q the last print's quantity. Prints: 100, 95,
/// 110, 105 (1 BTC each), then candle 1: 105, 108, 90, 92 (2 each). Spread 0.
/// </summary>
public sealed class DepthAndTickerTests
{
    private static async Task<WsClient> Stream(SimHarness h, string path)
    {
        var c = await h.ConnectAsync(path);
        await c.SendTextAsync("""{"method":"LIST_SUBSCRIPTIONS","id":1}""");
        await c.ReceiveAsync();
        return c;
    }

    private static SortedDictionary<decimal, decimal> Book(JsonElement levels) =>
        new(levels.EnumerateArray().ToDictionary(l => decimal.Parse(l[0].GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            l => decimal.Parse(l[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task Tickers_roll_over_the_last_24_hours_of_prints()
    {
        // 40 hourly candles: the test candles, then flat at 98.
        var candles = Make().Concat(Enumerable.Range(10, 30).Select(i => new Trading.Core.Market.Candle(Start + (i * Hour), 98, 98, 98, 98, 4))).ToArray();
        await using var h = await SimHarness.StartAsync(o => o with { Candles = candles });
        var mini = await Stream(h, "/stream?streams=btcusdt@ticker/btcusdt@miniTicker");
        h.Server.Step(3); // 95, 110, 105
        JsonElement ticker = default, miniTicker = default;
        for (var i = 0; i < 6; i++)
        {
            var m = await mini.ReceiveAsync();
            if (m.GetProperty("stream").GetString() == "btcusdt@ticker")
            {
                ticker = m.GetProperty("data");
            }
            else
            {
                miniTicker = m.GetProperty("data");
            }
        }

        Assert.Equal(("24hrTicker", "100.00000000", "110.00000000", "95.00000000", "105.00000000", "4.00000000", 4),
            (ticker.GetProperty("e").GetString(), ticker.GetProperty("o").GetString(), ticker.GetProperty("h").GetString(),
             ticker.GetProperty("l").GetString(), ticker.GetProperty("c").GetString(), ticker.GetProperty("v").GetString(), ticker.GetProperty("n").GetInt32()));
        Assert.Equal(("5.00000000", "5.000", "102.50000000"), (ticker.GetProperty("p").GetString(), ticker.GetProperty("P").GetString(), ticker.GetProperty("w").GetString()));
        Assert.Equal(("24hrMiniTicker", "105.00000000", "410.00000000"), (miniTicker.GetProperty("e").GetString(), miniTicker.GetProperty("c").GetString(), miniTicker.GetProperty("q").GetString()));

        var rest = await SimHarness.JsonAsync(await h.Http.GetAsync("/api/v3/ticker/24hr?symbol=BTCUSDT", SimHarness.Timeout()));
        Assert.Equal(("100.00000000", "105.00000000", 4, 1L, 4L), (rest.GetProperty("openPrice").GetString(), rest.GetProperty("lastPrice").GetString(),
            rest.GetProperty("count").GetInt32(), rest.GetProperty("firstId").GetInt64(), rest.GetProperty("lastId").GetInt64()));
        var price = await SimHarness.JsonAsync(await h.Http.GetAsync("/api/v3/ticker/price?symbol=BTCUSDT", SimHarness.Timeout()));
        Assert.Equal("""{"symbol":"BTCUSDT","price":"105.00000000"}""", price.GetRawText());

        // 24 hours later the first day's prints have left the window.
        h.Server.StepCandles(30);
        rest = await SimHarness.JsonAsync(await h.Http.GetAsync("/api/v3/ticker/24hr?symbol=BTCUSDT", SimHarness.Timeout()));
        Assert.Equal(("98.00000000", "98.00000000"), (rest.GetProperty("highPrice").GetString(), rest.GetProperty("lowPrice").GetString()));
    }

    [Fact]
    public async Task Depth_snapshot_plus_diffs_is_the_book_and_partial_streams_show_its_top()
    {
        await using var h = await SimHarness.StartAsync();
        var c = await Stream(h, "/stream?streams=btcusdt@depth@100ms/btcusdt@depth5");
        var snapshot = await SimHarness.JsonAsync(await h.Http.GetAsync("/api/v3/depth?symbol=BTCUSDT&limit=1000", SimHarness.Timeout()));
        Assert.Equal(100, snapshot.GetProperty("bids").GetArrayLength());
        Assert.Equal(["100.00000000", "1.00000000"], snapshot.GetProperty("bids")[0].EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(["100.02000000", "3.00000000"], snapshot.GetProperty("asks")[2].EnumerateArray().Select(x => x.GetString()));
        var bids = Book(snapshot.GetProperty("bids"));
        var asks = Book(snapshot.GetProperty("asks"));
        var lastId = snapshot.GetProperty("lastUpdateId").GetInt64();

        h.Server.Step(2); // 95, 110
        for (var seen = 0; seen < 2;)
        {
            var m = await c.ReceiveAsync();
            var data = m.GetProperty("data");
            if (m.GetProperty("stream").GetString() == "btcusdt@depth5")
            {
                Assert.Equal(5, data.GetProperty("bids").GetArrayLength());
                continue;
            }

            Assert.Equal("depthUpdate", data.GetProperty("e").GetString());
            Assert.Equal(lastId + 1, data.GetProperty("U").GetInt64()); // Binance's rule: U = previous u + 1
            lastId = data.GetProperty("u").GetInt64();
            foreach (var (side, book) in new[] { ("b", bids), ("a", asks) })
            {
                foreach (var (p, q) in Book(data.GetProperty(side)))
                {
                    if (q == 0)
                    {
                        book.Remove(p);
                    }
                    else
                    {
                        book[p] = q;
                    }
                }
            }

            seen++;
        }

        var now = await SimHarness.JsonAsync(await h.Http.GetAsync("/api/v3/depth?symbol=BTCUSDT&limit=100", SimHarness.Timeout()));
        Assert.Equal(lastId, now.GetProperty("lastUpdateId").GetInt64());
        Assert.Equal(Book(now.GetProperty("bids")), bids);
        Assert.Equal(Book(now.GetProperty("asks")), asks);
        Assert.Equal(110m, bids.Keys.Max());
    }
}
