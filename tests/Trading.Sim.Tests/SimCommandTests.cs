using System.Text.Json;
using System.Text.RegularExpressions;
using Trading.Sim.Tests.Support;

namespace Trading.Sim.Tests;

/// <summary>
/// The real <c>quant sim</c> executable on the shipped data: it prints its endpoints, a plain ClientWebSocket receives
/// kline, trade and bookTicker messages, and Ctrl-C stops it with exit code 0 and the fault report.
/// </summary>
public sealed partial class SimCommandTests
{
    [GeneratedRegex(@"ws://127\.0\.0\.1:(\d+)/ws/btcusdt@kline_1h")]
    private static partial Regex StreamLine();

    [Fact]
    public async Task Quant_sim_serves_streams_on_the_shipped_data_and_stops_on_ctrl_c()
    {
        using var sim = new ChildProcess("dotnet", [RepoPaths.QuantDll, "sim", "--port", "0", "--speed", "360000", "--faults", "seed=1"], RepoPaths.Root);
        var line = await sim.WaitForLineAsync(l => StreamLine().IsMatch(l), TimeSpan.FromSeconds(30));
        var port = int.Parse(StreamLine().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("BTCUSDT, 8784 candles of 1h", sim.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("sim-api-secret", sim.Stdout, StringComparison.Ordinal);

        using (var ws = new System.Net.WebSockets.ClientWebSocket())
        {
            await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/stream?streams=btcusdt@kline_1h/btcusdt@trade/btcusdt@bookTicker"), SimHarness.Timeout());
            var c = new WsClient(ws);
            var seen = new HashSet<string>();
            while (seen.Count < 3)
            {
                var m = await c.ReceiveAsync();
                var stream = m.GetProperty("stream").GetString()!;
                var data = m.GetProperty("data");
                seen.Add(stream);
                if (stream.EndsWith("@kline_1h", StringComparison.Ordinal))
                {
                    Assert.Equal("kline", data.GetProperty("e").GetString());
                    Assert.Equal(JsonValueKind.String, data.GetProperty("k").GetProperty("c").ValueKind);
                    // The shipped data opens 2024 near 42 000 USDT; 200 warm-up candles put the replay in January 2024.
                    Assert.InRange(data.GetProperty("k").GetProperty("t").GetInt64(), 1_704_067_200_000, 1_735_689_600_000);
                }
                else if (stream.EndsWith("@trade", StringComparison.Ordinal))
                {
                    Assert.Equal("trade", data.GetProperty("e").GetString());
                }
                else
                {
                    Assert.Equal(JsonValueKind.String, data.GetProperty("b").ValueKind);
                }
            }
        }

        sim.Interrupt();
        Assert.Equal(0, await sim.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("faults injected: drop=0 ", sim.Stdout, StringComparison.Ordinal);
        Assert.Contains("; synthetic: malformed=0 truncate=0 reorder-exec=0", sim.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quant_sim_speed_0_steps_one_candle_on_request_and_truth_matches_the_account()
    {
        using var sim = new ChildProcess("dotnet", [RepoPaths.QuantDll, "sim", "--port", "0", "--speed", "0"], RepoPaths.Root);
        var line = await sim.WaitForLineAsync(l => StreamLine().IsMatch(l), TimeSpan.FromSeconds(30));
        var port = int.Parse(StreamLine().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        // Lockstep's default: rate-limit windows on the replay clock (a year passes in seconds of wall time).
        Assert.Contains("; rate limits replay)", sim.Stdout, StringComparison.Ordinal);
        await sim.WaitForLineAsync(l => l.Contains("sim/step", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Add("X-MBX-APIKEY", Trading.Sim.SimOptions.DefaultApiKey);
        async Task<JsonElement> Json(HttpResponseMessage r)
        {
            Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
            return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.Clone();
        }

        var before = await Json(await http.GetAsync("/sim/state", SimHarness.Timeout()));
        Assert.Equal(0, before.GetProperty("speed").GetDouble());
        Assert.Equal(before.GetProperty("time").GetInt64(), (await Json(await http.GetAsync("/sim/state", SimHarness.Timeout()))).GetProperty("time").GetInt64());
        // One candle: from its first print (where the replay opened) through its close, 4 events; the hour is complete.
        var after = await Json(await http.PostAsync("/sim/step?candles=1", null, SimHarness.Timeout()));
        Assert.Equal(4, after.GetProperty("stepped").GetInt32());
        Assert.Equal(before.GetProperty("candle_index").GetInt32(), after.GetProperty("candle_index").GetInt32());
        Assert.Equal(before.GetProperty("time").GetInt64() + 3_600_000 - 1, after.GetProperty("time").GetInt64());
        Assert.Equal(before.GetProperty("events_left").GetInt64() - 4, after.GetProperty("events_left").GetInt64());

        var query = $"timestamp={DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}";
        query += "&signature=" + Trading.Sim.Api.Signing.Sign(Trading.Sim.SimOptions.DefaultApiSecret, query);
        var account = await Json(await http.GetAsync("/api/v3/account?" + query, SimHarness.Timeout()));
        var truth = await Json(await http.GetAsync("/sim/truth", SimHarness.Timeout()));
        Assert.Equal(account.GetProperty("balances").GetRawText(), truth.GetProperty("balances").GetRawText());
        sim.Interrupt();
        Assert.Equal(0, await sim.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData("--market-fill", "later", "quant: sim: --market-fill: expected touch or next-print, got 'later' (see 'quant sim --help')", 2)]
    [InlineData("--rate-limits", "wall", "quant: sim: --rate-limits: expected real, replay or off, got 'wall' (see 'quant sim --help')", 2)]
    [InlineData("--fee-asset", "base", "quant: sim: --fee-asset: expected received or quote, got 'base' (see 'quant sim --help')", 2)]
    [InlineData("--faults", "drop=2", "quant: sim: --faults: fault 'drop=2': expected a probability in [0, 1] (see 'quant sim --help')", 2)]
    [InlineData("--port", "70000", "quant: sim: --port: expected 0..65535, got 70000 (see 'quant sim --help')", 2)]
    [InlineData("--api-key", "k", "quant: sim: --api-key and --api-secret go together (see 'quant sim --help')", 2)]
    [InlineData("--data", "missing.csv", "quant: --data missing.csv: not found", 3)]
    public async Task Bad_flags_give_one_line_and_a_usage_exit_code(string flag, string value, string expected, int code)
    {
        using var sim = new ChildProcess("dotnet", [RepoPaths.QuantDll, "sim", flag, value], RepoPaths.Root);
        Assert.Equal(code, await sim.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(expected, sim.Stderr.Trim());
    }
}
