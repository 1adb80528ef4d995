using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Trading.Sim.Api;

namespace Trading.Sim.Tests.Support;

/// <summary>A running simulator (stepped by hand, manual wall clock) plus raw clients: ClientWebSocket, HttpClient, System.Text.Json.</summary>
internal sealed class SimHarness : IAsyncDisposable
{
    public const string Key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    public const string Secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

    private readonly List<WsClient> _clients = [];

    private SimHarness(SimServer server, ManualClock clock)
    {
        Server = server;
        Clock = clock;
        Http = new HttpClient { BaseAddress = server.RestUrl };
    }

    public SimServer Server { get; }

    public ManualClock Clock { get; }

    public HttpClient Http { get; }

    public static async Task<SimHarness> StartAsync(Func<SimOptions, SimOptions>? configure = null)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var options = new SimOptions
        {
            Candles = TestCandles.Make(),
            ApiKey = Key,
            ApiSecret = Secret,
            Time = clock,
            Balances = new Dictionary<string, decimal> { ["USDT"] = 1000m, ["BTC"] = 1m },
        };
        options = configure?.Invoke(options) ?? options;
        return new SimHarness(await SimServer.StartAsync(options), clock);
    }

    public async Task<WsClient> ConnectAsync(string pathAndQuery)
    {
        var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri(Server.StreamUrl, pathAndQuery), Timeout());
        var c = new WsClient(ws);
        _clients.Add(c);
        return c;
    }

    /// <summary>Signs WebSocket API params (sorted payload) with the harness secret; adds apiKey and timestamp.</summary>
    public Dictionary<string, object> Signed(Dictionary<string, object> ps, string secret = Secret)
    {
        ps["apiKey"] = Key;
        ps.TryAdd("timestamp", Clock.NowMs);
        var payload = string.Join('&', ps.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Render(p.Value)}"));
        ps["signature"] = Signing.Sign(secret, payload);
        return ps;
    }

    /// <summary>A signed REST query string (timestamp appended, then signature).</summary>
    public string SignedQuery(string query, string secret = Secret)
    {
        var q = $"{query}{(query.Length > 0 ? "&" : "")}timestamp={Clock.NowMs}";
        return $"{q}&signature={Signing.Sign(secret, q)}";
    }

    public async Task<HttpResponseMessage> SendRestAsync(HttpMethod method, string path, string query, string? key = Key)
    {
        var req = new HttpRequestMessage(method, $"{path}?{query}");
        if (key is not null)
        {
            req.Headers.Add("X-MBX-APIKEY", key);
        }

        return await Http.SendAsync(req, Timeout());
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage r) =>
        JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.Clone();

    public static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token;

    private static string Render(object v) => v switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => v.ToString()!,
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _clients)
        {
            c.Socket.Abort();
            c.Socket.Dispose();
        }

        Http.Dispose();
        await Server.DisposeAsync();
    }
}
