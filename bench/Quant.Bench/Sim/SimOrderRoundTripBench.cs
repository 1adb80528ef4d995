using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Quant.Bench.Infrastructure;
using Trading.Core.Market;
using Trading.Sim;
using Trading.Sim.Api;

namespace Quant.Bench.Sim;

/// <summary>
/// Signed market orders through the simulator: round trips per second over the WebSocket API (ClientWebSocket on
/// loopback: sign, send, wait for the reply) against the same orders executed in-process through the exchange's
/// request path (signature check, rate limits, matching, reply JSON; no socket). The ratio is the transport's cost.
/// Orders alternate BUY/SELL 0.001 so balances never run out; every reply is checked to be status 200.
/// </summary>
internal sealed class SimOrderRoundTripBench : IBench
{
    // The client's signer, keyed once (a one-shot HMAC call costs tens of µs here, mostly context set-up).
    private static readonly System.Security.Cryptography.HMACSHA256 ClientHmac = new(Encoding.UTF8.GetBytes(SimOptions.DefaultApiSecret));

    public string Name => "sim-orders";

    public string Description => "signed order.place round trips/s over the WebSocket API vs the same requests in-process";

    public int Run(string[] args)
    {
        var wsOrders = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4000;
        var inProcessOrders = wsOrders * 5;
        var options = Options();

        using var exchange = new SimExchange(options);
        RunInProcess(exchange, 500, options); // warm-up
        var sw = Stopwatch.StartNew();
        RunInProcess(exchange, inProcessOrders, options);
        var baseline = inProcessOrders / sw.Elapsed.TotalSeconds;

        var (rate, p50, p99) = RunOverWebSocket(options, wsOrders).GetAwaiter().GetResult();
        Console.WriteLine($"in-process: {baseline:F0} orders/s over {inProcessOrders} orders");
        Console.WriteLine($"WebSocket API: {rate:F0} orders/s over {wsOrders} orders, round trip p50 {p50:F1} µs, p99 {p99:F1} µs");
        BenchReport.Print(Name, rate, "orders/s", baseline, [
            new("in_process_orders_per_s", baseline),
            new("rtt_p50_us", p50),
            new("rtt_p99_us", p99),
            new("orders", wsOrders),
        ]);
        return 0;
    }

    private static SimOptions Options()
    {
        var candles = Enumerable.Range(0, 100).Select(i => new Candle(1_704_067_200_000 + (i * 3_600_000L), 10_000, 10_100, 9_900, 10_000, 1000)).ToArray();
        return new SimOptions
        {
            Candles = candles,
            RequestWeightLimit = int.MaxValue,
            OrdersPer10Seconds = int.MaxValue,
            OrdersPerDay = int.MaxValue,
            Balances = new Dictionary<string, decimal> { ["USDT"] = 1_000_000m, ["BTC"] = 10m },
        };
    }

    private static Dictionary<string, string> SignedOrder(SimOptions o, int i)
    {
        var ps = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["apiKey"] = o.ApiKey,
            ["quantity"] = "0.001",
            ["side"] = i % 2 == 0 ? "BUY" : "SELL",
            ["symbol"] = "BTCUSDT",
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ["type"] = "MARKET",
            ["newOrderRespType"] = "RESULT",
        };
        ps["signature"] = Convert.ToHexStringLower(ClientHmac.ComputeHash(Encoding.UTF8.GetBytes(Signing.WebSocketPayload(ps))));
        return ps;
    }

    private static void RunInProcess(SimExchange exchange, int n, SimOptions o)
    {
        for (var i = 0; i < n; i++)
        {
            var ps = SignedOrder(o, i);
            var p = new ApiParams(ps);
            var reply = exchange.Execute(new ApiCall("order.place", p, ps["apiKey"], ps["signature"], Signing.WebSocketPayload(ps), Rest: false));
            if (reply.Status != 200)
            {
                throw new InvalidOperationException($"order {i} failed: {Encoding.UTF8.GetString(reply.Body)}");
            }
        }
    }

    private static async Task<(double Rate, double P50, double P99)> RunOverWebSocket(SimOptions options, int n)
    {
        await using var server = await SimServer.StartAsync(options);
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(server.WebSocketApiUrl, CancellationToken.None);
        var buffer = new byte[64 * 1024];
        var rtts = new double[n];
        async Task One(int i)
        {
            var ps = SignedOrder(options, i);
            var body = new StringBuilder("{\"id\":").Append(i).Append(",\"method\":\"order.place\",\"params\":{");
            body.AppendJoin(',', ps.Select(kv => $"\"{kv.Key}\":\"{kv.Value}\""));
            body.Append("}}");
            await ws.SendAsync(Encoding.UTF8.GetBytes(body.ToString()), WebSocketMessageType.Text, true, CancellationToken.None);
            var r = await ws.ReceiveAsync(buffer, CancellationToken.None);
            if (!r.EndOfMessage || !Encoding.UTF8.GetString(buffer, 0, r.Count).Contains("\"status\":200", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"order {i} failed: {Encoding.UTF8.GetString(buffer, 0, r.Count)}");
            }
        }

        for (var i = 0; i < 300; i++)
        {
            await One(i); // warm-up
        }

        var total = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await One(i);
            rtts[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
        }

        var rate = n / total.Elapsed.TotalSeconds;
        Array.Sort(rtts);
        return (rate, rtts[n / 2], rtts[(int)(n * 0.99)]);
    }
}
