using EventLoop;
using Trading.Core.Market;
using Trading.Sim;

namespace Trading.Live.Tests.Support;

/// <summary>
/// The simulator in-process on 127.0.0.1 (ephemeral port, stepped by hand: speed 0) and a loop driven on the test thread
/// until a condition holds. <see cref="RunUntil"/> waits on the loop (real I/O completions), never on a sleep; its
/// wall-clock limit only turns a hang into a failure.
/// </summary>
internal sealed class SimVenue : IAsyncDisposable
{
    public const string Key = "live-test-key";
    public const string Secret = "live-test-secret";

    private SimVenue(SimServer server, Loop loop)
    {
        Server = server;
        Loop = loop;
    }

    public SimServer Server { get; }

    public Loop Loop { get; }

    public Trading.Live.Binance.BinanceEndpoints Endpoints => Trading.Live.Binance.BinanceEndpoints.Local(Server.RestUrl);

    public static async Task<SimVenue> StartAsync(Func<SimOptions, SimOptions>? configure = null)
    {
        var options = new SimOptions
        {
            Candles = Candles(),
            ApiKey = Key,
            ApiSecret = Secret,
            StartCandle = 3,
            Balances = new Dictionary<string, decimal> { ["USDT"] = 10_000m },
        };
        options = configure?.Invoke(options) ?? options;
        return new SimVenue(await SimServer.StartAsync(options), new Loop());
    }

    /// <summary>Hourly candles from 2024-01-01: three of history, then a gentle rise.</summary>
    public static Candle[] Candles(int count = 12)
    {
        const long start = 1_704_067_200_000;
        var list = new Candle[count];
        for (var i = 0; i < count; i++)
        {
            var open = 100 + i;
            list[i] = new Candle(start + (i * 3_600_000L), open, open + 2, open - 1, open + 1, 4);
        }

        return list;
    }

    public void RunUntil(Func<bool> done, int seconds = 15)
    {
        var limit = DateTime.UtcNow.AddSeconds(seconds);
        while (!done())
        {
            if (DateTime.UtcNow > limit)
            {
                throw new TimeoutException("the condition did not hold in time");
            }

            Loop.Run(RunMode.Once);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Loop.Dispose();
    }
}
