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
        Assert.Contains("faults injected: Drop=0", sim.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--faults", "drop=2", "quant: --faults: fault 'drop=2': expected a probability in [0, 1]", 2)]
    [InlineData("--port", "70000", "quant: --port: expected 0..65535, got 70000", 2)]
    [InlineData("--api-key", "k", "quant: --api-key and --api-secret go together", 2)]
    [InlineData("--data", "missing.csv", "quant: missing.csv:0: no such file or folder", 3)]
    public async Task Bad_flags_give_one_line_and_a_usage_exit_code(string flag, string value, string expected, int code)
    {
        using var sim = new ChildProcess("dotnet", [RepoPaths.QuantDll, "sim", flag, value], RepoPaths.Root);
        Assert.Equal(code, await sim.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(expected, sim.Stderr.Trim());
    }
}
