using System.IO.Compression;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Trading.Core.Market;
using Trading.Sim.Tests.Support;
using static Trading.Sim.Tests.Support.TestCandles;

namespace Trading.Sim.Tests;

/// <summary>
/// Klines of every Binance interval the data can honestly serve (its own and its whole multiples up to 1d, aggregated
/// exactly, aligned to UTC as Binance's are), an error naming the data's interval for finer ones, and 1-minute data.
/// Test candles (1h): 0 = O100 H110 L95 C105 V4, 1 = O105 H108 L90 C92 V8, 2 = O92 H99 L91 C98 V2, then flat 98 V4.
/// </summary>
public sealed partial class IntervalTests
{
    private static string[] Ohlcv(JsonElement k) =>
        [k[1].GetString()!, k[2].GetString()!, k[3].GetString()!, k[4].GetString()!, k[5].GetString()!];

    [Fact]
    public async Task Rest_klines_aggregate_multiples_of_the_data_interval_exactly()
    {
        await using var h = await SimHarness.StartAsync();
        Assert.Equal(["1h", "2h", "4h", "6h", "8h", "12h", "1d"], h.Server.ServedIntervals);
        h.Server.StepCandles(4); // candles 0..3 closed
        var r = await h.Http.GetAsync("/api/v3/klines?symbol=BTCUSDT&interval=2h", SimHarness.Timeout());
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var k = await SimHarness.JsonAsync(r);
        Assert.Equal(2, k.GetArrayLength());
        Assert.Equal(Start, k[0][0].GetInt64());
        Assert.Equal(Start + (2 * Hour) - 1, k[0][6].GetInt64());
        Assert.Equal(["100.00000000", "110.00000000", "90.00000000", "92.00000000", "12.00000000"], Ohlcv(k[0]));
        Assert.Equal(["92.00000000", "99.00000000", "91.00000000", "98.00000000", "6.00000000"], Ohlcv(k[1]));
        Assert.Equal(8, k[0][8].GetInt32()); // trades: 4 + 4
        var day = await SimHarness.JsonAsync(await h.Http.GetAsync("/api/v3/klines?symbol=BTCUSDT&interval=1d", SimHarness.Timeout()));
        Assert.Equal(["100.00000000", "110.00000000", "90.00000000", "98.00000000", "18.00000000"], Ohlcv(day[0])); // forming
    }

    [Fact]
    public async Task A_2h_stream_updates_with_each_print_and_closes_with_the_candle_that_ends_its_bucket()
    {
        await using var h = await SimHarness.StartAsync();
        var c = await h.ConnectAsync("/ws/btcusdt@kline_2h");
        await c.SendTextAsync("""{"method":"LIST_SUBSCRIPTIONS","id":1}""");
        await c.ReceiveAsync();
        h.Server.StepCandles(2);
        var updates = new List<JsonElement>();
        while (updates.Count == 0 || !updates[^1].GetProperty("k").GetProperty("x").GetBoolean())
        {
            updates.Add(await c.ReceiveAsync());
        }

        // Candle 0's three remaining prints, candle 1's four, then the close at candle 1's close: 8 messages, one x=true.
        Assert.Equal(8, updates.Count);
        var last = updates[^1].GetProperty("k");
        Assert.Equal(("2h", Start, Start + (2 * Hour) - 1), (last.GetProperty("i").GetString(), last.GetProperty("t").GetInt64(), last.GetProperty("T").GetInt64()));
        Assert.Equal(("100.00000000", "110.00000000", "90.00000000", "92.00000000", "12.00000000"), (last.GetProperty("o").GetString(),
            last.GetProperty("h").GetString(), last.GetProperty("l").GetString(), last.GetProperty("c").GetString(), last.GetProperty("v").GetString()));
    }

    [Fact]
    public async Task A_bucket_begun_in_the_history_includes_the_history_candles()
    {
        // The replay starts at candle 1: the 2h bucket [00:00, 02:00) already holds candle 0.
        await using var h = await SimHarness.StartAsync(o => o with { StartCandle = 1 });
        var c = await h.ConnectAsync("/ws/btcusdt@kline_2h");
        await c.SendTextAsync("""{"method":"LIST_SUBSCRIPTIONS","id":1}""");
        await c.ReceiveAsync();
        h.Server.Step(); // candle 1's second print, 108
        var k = (await c.ReceiveAsync()).GetProperty("k");
        Assert.Equal(("100.00000000", "110.00000000", "95.00000000", "108.00000000", "8.00000000"), (k.GetProperty("o").GetString(),
            k.GetProperty("h").GetString(), k.GetProperty("l").GetString(), k.GetProperty("c").GetString(), k.GetProperty("v").GetString()));
    }

    [Fact]
    public async Task A_finer_interval_gets_an_error_naming_the_data_interval()
    {
        await using var h = await SimHarness.StartAsync();
        var c = await h.ConnectAsync("/ws");
        await c.SendTextAsync("""{"method":"SUBSCRIBE","params":["btcusdt@kline_1m"],"id":7}""");
        var e = await c.ReceiveAsync();
        Assert.Equal(2, e.GetProperty("code").GetInt32());
        Assert.Equal("Invalid request: btcusdt@kline_1m: the data interval is 1h; this simulator serves klines of 1h, 2h, 4h, 6h, 8h, 12h, 1d",
            e.GetProperty("msg").GetString());
        Assert.Equal(7, e.GetProperty("id").GetInt32());
        await Assert.ThrowsAnyAsync<WebSocketException>(() => h.ConnectAsync("/ws/btcusdt@kline_15m"));
        var r = await h.Http.GetAsync("/ws/btcusdt@kline_15m", SimHarness.Timeout());
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
    }

    [Fact]
    public async Task One_minute_data_serves_1m_and_its_multiples()
    {
        var candles = Enumerable.Range(0, 30).Select(i => new Candle(Start + (i * 60_000L), 100 + i, 101 + i, 99 + i, 100.5 + i, 4)).ToArray();
        await using var h = await SimHarness.StartAsync(o => o with { Candles = candles, IntervalMs = 60_000 });
        Assert.Equal(["1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d"], h.Server.ServedIntervals);
        h.Server.StepCandles(5);
        var k = await SimHarness.JsonAsync(await h.Http.GetAsync("/api/v3/klines?symbol=BTCUSDT&interval=5m", SimHarness.Timeout()));
        Assert.Equal(["100.00000000", "105.00000000", "99.00000000", "104.50000000", "20.00000000"], Ohlcv(k[0]));
    }

    [GeneratedRegex(@"ws://127\.0\.0\.1:(\d+)/ws/btcusdt@kline_1m")]
    private static partial Regex OneMinuteStream();

    [Fact]
    public async Task Quant_sim_runs_on_a_binance_1m_kline_zip_and_prints_what_it_serves()
    {
        var dir = Directory.CreateTempSubdirectory("sim-1m-");
        try
        {
            var zip = Path.Combine(dir.FullName, "BTCUSDT-1m-2024-01.zip");
            using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
            {
                await using var w = new StreamWriter(archive.CreateEntry("BTCUSDT-1m-2024-01.csv").Open());
                for (var i = 0; i < 300; i++)
                {
                    var t = Start + (i * 60_000L);
                    await w.WriteLineAsync($"{t},42000.00,42010.00,41990.00,42005.00,1.50000,{t + 59_999},63000.00,10,0.75,31500.00,0");
                }
            }

            using var sim = new ChildProcess("dotnet", [RepoPaths.QuantDll, "sim", "--port", "0", "--speed", "0", "--data", zip, "--warmup", "10"], RepoPaths.Root);
            var line = await sim.WaitForLineAsync(l => OneMinuteStream().IsMatch(l), TimeSpan.FromSeconds(30));
            await sim.WaitForLineAsync(l => l.Contains("klines", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            Assert.Contains("300 candles of 1m", sim.Stdout, StringComparison.Ordinal);
            Assert.Contains("klines         1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d", sim.Stdout, StringComparison.Ordinal);
            Assert.NotEmpty(line);
            sim.Interrupt();
            Assert.Equal(0, await sim.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
