using Trading.Core.Orders;
using Trading.Live.Binance;
using Trading.Live.Orders;
using Trading.Live.Tests.Orders;
using Trading.Live.Tests.Support;

namespace Trading.Live.Tests.Binance;

/// <summary>The Binance pieces on the loop against the in-process simulator, over real loopback sockets.</summary>
public sealed class VenueOnLoopTests
{
    private sealed class Market : IMarketListener
    {
        public bool Connected;
        public string? ClosedWith = "open";
        public readonly List<MarketMessage> Messages = [];

        public void OnMarketConnected() => Connected = true;

        public void OnMarket(ref MarketMessage message) => Messages.Add(message);

        public void OnMarketClosed(string? error) => ClosedWith = error;
    }

    private sealed class Api : IApiListener
    {
        public bool Connected;
        public bool Closed;
        public readonly List<(PendingRequest Request, int Status, int Code, string Result)> Responses = [];
        public readonly List<string> Unanswered = [];
        public readonly List<ExecutionReport> Reports = [];
        public readonly List<BalanceChange> Balances = [];
        public Action<ExecutionReport>? OnReport;

        public void OnApiConnected() => Connected = true;

        public void OnResponse(in PendingRequest request, ApiFrame frame, ReadOnlySpan<byte> json) =>
            Responses.Add((request, frame.Status, frame.ErrorCode, System.Text.Encoding.UTF8.GetString(frame.Result(json))));

        public void OnUnanswered(in PendingRequest request, string why) => Unanswered.Add($"{request.Kind}: {why}");

        public void OnUserEvent(ApiFrame frame)
        {
            if (frame.Kind == ApiFrameKind.ExecutionReport)
            {
                Reports.Add(frame.Execution);
                OnReport?.Invoke(frame.Execution);
            }
            else if (frame.Kind == ApiFrameKind.BalanceChange)
            {
                Balances.Add(frame.Balance);
            }
        }

        public string? Error;

        public void OnApiClosed(string? error) { Closed = true; Error = error; }
    }

    [Fact]
    public async Task Market_stream_delivers_trades_quotes_and_closed_klines()
    {
        await using var venue = await SimVenue.StartAsync();
        var market = new Market();
        var clock = 0L;
        var stream = new MarketStream(venue.Loop, venue.Endpoints.Combined(["btcusdt@kline_1h", "btcusdt@bookTicker", "btcusdt@trade"]), market, () => ++clock);
        stream.Start(TimeSpan.FromSeconds(5));
        venue.RunUntil(() => market.Connected);
        // The simulator subscribes the connection as it registers; step until a whole candle has closed.
        venue.Server.Step(8);
        venue.RunUntil(() => market.Messages.Any(m => m.Kind == MarketMessageKind.Kline && m.KlineClosed));
        var closed = market.Messages.First(m => m.Kind == MarketMessageKind.Kline && m.KlineClosed);
        Assert.Equal(SimVenue.Candles()[3], closed.Candle);
        Assert.Contains(market.Messages, m => m.Kind == MarketMessageKind.Trade && m.Trade.Price > 0);
        Assert.Contains(market.Messages, m => m.Kind == MarketMessageKind.BookTicker && m.Quote.AskPrice > 0);
        Assert.Equal(0, stream.MalformedFrames);
        stream.Close();
        venue.RunUntil(() => market.ClosedWith != "open");
        Assert.Null(market.ClosedWith);
    }

    [Fact]
    public async Task Signed_order_entry_and_the_user_data_stream_settle_an_order()
    {
        await using var venue = await SimVenue.StartAsync();
        var ids = new ClientOrderIdCodec(2024);
        var events = new RecordingListener();
        var orders = new OrderManager(ids, "BTCUSDT", events);
        var api = new Api();
        api.OnReport = r => orders.OnExecutionReport(r);
        var session = new ApiSession(venue.Loop, venue.Endpoints.WebSocketApiUrl, new ApiFrameParser(ids, "BTC", "USDT"), api, TimeSpan.FromSeconds(10));
        var writer = new ApiRequestWriter(SimVenue.Key, new HmacSigner(SimVenue.Secret), "BTCUSDT");
        session.Start(TimeSpan.FromSeconds(5));
        venue.RunUntil(() => api.Connected || api.Closed);
        Assert.True(api.Connected, api.Error);

        var id = session.NextId();
        session.Send(id, writer.SubscribeUserData(id, Now()), RequestKind.SubscribeUserData, 0);
        venue.RunUntil(() => api.Responses.Count == 1);
        Assert.Equal((200, 0), (api.Responses[0].Status, api.Responses[0].Code));
        Assert.Contains("subscriptionId", api.Responses[0].Result, StringComparison.Ordinal);

        var order = orders.Create(OrderRequest.Market(OrderSide.Buy, 0.1m), 0);
        Span<byte> clientId = stackalloc byte[40];
        var n = ids.Format(order.Sequence, clientId);
        id = session.NextId();
        session.Send(id, writer.Place(id, OrderSide.Buy, OrderType.Market, TimeInForce.Gtc, 0.1m, 0, 0, 0, clientId[..n], Now()), RequestKind.Place, order.Sequence);
        venue.RunUntil(() => api.Responses.Count == 2 && order.State == LiveOrderState.Filled);
        var placed = api.Responses[1];
        Assert.Equal((RequestKind.Place, order.Sequence, 200), (placed.Request.Kind, placed.Request.Sequence, placed.Status));
        orders.OnPlaceAnswer(new VenueOrderParser(ids).ReadOne(System.Text.Encoding.UTF8.GetBytes(placed.Result)));
        Assert.Equal(0.1m, order.Order.FilledQuantity);
        Assert.Equal(2, events.Lines.Count); // accepted, one fill
        Assert.Matches("^fill 1 0\\.10*@", events.Lines[1]);
        Assert.Contains("Base", events.Lines[1], StringComparison.Ordinal); // a BUY pays its commission in the asset received

        // A cancel of the filled order is refused by the venue (-2011) and changes nothing.
        id = session.NextId();
        session.Send(id, writer.Cancel(id, clientId[..n], Now()), RequestKind.Cancel, order.Sequence);
        venue.RunUntil(() => api.Responses.Count == 3);
        Assert.Equal((400, -2011), (api.Responses[2].Status, api.Responses[2].Code));

        // order.status by client order id finds it (how an unknown outcome is settled).
        id = session.NextId();
        session.Send(id, writer.Status(id, clientId[..n], 0, Now()), RequestKind.Status, order.Sequence);
        venue.RunUntil(() => api.Responses.Count == 4);
        Assert.Contains("\"status\":\"FILLED\"", api.Responses[3].Result, StringComparison.Ordinal);

        session.Close();
        venue.RunUntil(() => api.Closed);
        Assert.Empty(api.Unanswered);
    }

    [Fact]
    public async Task A_request_without_an_answer_in_time_is_reported_unanswered()
    {
        await using var venue = await SimVenue.StartAsync(o => o with { Faults = Trading.Sim.Faults.FaultSpec.Parse("seed=1,delay-ack=1:30s") });
        var ids = new ClientOrderIdCodec(1);
        var api = new Api();
        var session = new ApiSession(venue.Loop, venue.Endpoints.WebSocketApiUrl, new ApiFrameParser(ids, "BTC", "USDT"), api, TimeSpan.FromMilliseconds(300));
        var writer = new ApiRequestWriter(SimVenue.Key, new HmacSigner(SimVenue.Secret), "BTCUSDT");
        session.Start(TimeSpan.FromSeconds(5));
        venue.RunUntil(() => api.Connected || api.Closed);
        Assert.True(api.Connected, api.Error);
        var id = session.NextId();
        session.Send(id, writer.Place(id, OrderSide.Buy, OrderType.Market, TimeInForce.Gtc, 0.1m, 0, 0, 0, "q00000001-1"u8, Now()), RequestKind.Place, 1);
        venue.RunUntil(() => api.Unanswered.Count == 1);
        Assert.Equal("Place: no answer in time", api.Unanswered[0]);
        Assert.Empty(api.Responses);
    }

    [Fact]
    public async Task After_an_answered_request_parks_the_deadline_timer_a_later_one_still_times_out()
    {
        // Acks of orders are held back 30 s; a ping is answered at once. The ping's answer leaves nothing pending (the
        // deadline timer parked at "never"); the place that follows must move it back to its own deadline. The timeout is
        // 3 s, not less: the ping must be answered within it even on a loaded machine (CI runs every test assembly at once
        // on 2 cores; at 300 ms the ping itself timed out there, and its late answer then counts as unmatched).
        await using var venue = await SimVenue.StartAsync(o => o with { Faults = Trading.Sim.Faults.FaultSpec.Parse("seed=1,delay-ack=1:30s") });
        var ids = new ClientOrderIdCodec(1);
        var api = new Api();
        var session = new ApiSession(venue.Loop, venue.Endpoints.WebSocketApiUrl, new ApiFrameParser(ids, "BTC", "USDT"), api, TimeSpan.FromSeconds(3));
        var writer = new ApiRequestWriter(SimVenue.Key, new HmacSigner(SimVenue.Secret), "BTCUSDT");
        session.Start(TimeSpan.FromSeconds(5));
        venue.RunUntil(() => api.Connected || api.Closed);
        Assert.True(api.Connected, api.Error);
        var id = session.NextId();
        session.Send(id, writer.Unsigned(id, "ping"u8), RequestKind.Ping, 0);
        venue.RunUntil(() => api.Responses.Count == 1 || api.Unanswered.Count > 0);
        Assert.True(api.Unanswered.Count == 0, $"the ping was not answered within 3 s: {string.Join(", ", api.Unanswered)}");
        Assert.Equal(0, session.PendingCount);

        id = session.NextId();
        session.Send(id, writer.Place(id, OrderSide.Buy, OrderType.Market, TimeInForce.Gtc, 0.1m, 0, 0, 0, "q00000001-1"u8, Now()), RequestKind.Place, 1);
        venue.RunUntil(() => api.Unanswered.Count == 1);
        Assert.Equal("Place: no answer in time", api.Unanswered[0]);
        Assert.Single(api.Responses);

        // Nothing pending again: the close still ends the session (the parked timer does not keep it open).
        session.Close();
        venue.RunUntil(() => api.Closed);
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
