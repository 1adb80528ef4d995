using System.Text;
using System.Text.Json;
using Trading.Live.Binance;

namespace Trading.Live.Tests.Binance;

/// <summary>The documented payloads of binance.md §1.3, raw and in combined envelopes, and what is refused.</summary>
public sealed class MarketMessageParserTests
{
    private const string Kline = """{"e":"kline","E":1672515782136,"s":"BNBBTC","k":{"t":1672515780000,"T":1672515839999,"s":"BNBBTC","i":"1m","f":100,"L":200,"o":"0.0010","c":"0.0020","h":"0.0025","l":"0.0015","v":"1000","n":100,"x":false,"q":"1.0000","V":"500","Q":"0.500","B":"123456"}}""";
    private const string Book = """{"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}""";
    private const string TradeJson = """{"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001","q":"100","T":1672515782136,"m":true,"M":true}""";

    private static MarketMessage Parse(string json, long now = 0)
    {
        var m = default(MarketMessage);
        MarketMessageParser.Parse(Encoding.UTF8.GetBytes(json), now, ref m);
        return m;
    }

    [Fact]
    public void Kline_update_is_not_closed_until_x()
    {
        var m = Parse(Kline);
        Assert.Equal(MarketMessageKind.Kline, m.Kind);
        Assert.Equal(new Trading.Core.Market.Candle(1672515780000, 0.0010, 0.0025, 0.0015, 0.0020, 1000), m.Candle);
        Assert.False(m.KlineClosed);
        Assert.Equal(1672515839999, m.KlineCloseTime);
        Assert.Equal(1672515782136, m.EventTime);
        Assert.True(Parse(Kline.Replace("\"x\":false", "\"x\":true", StringComparison.Ordinal)).KlineClosed);
    }

    [Fact]
    public void BookTicker_has_no_event_time_and_takes_the_receive_time()
    {
        var m = Parse(Book, now: 777);
        Assert.Equal(MarketMessageKind.BookTicker, m.Kind);
        Assert.Equal(new Trading.Core.Market.Quote(777, 25.3519, 31.21, 25.3652, 40.66), m.Quote);
        Assert.Equal(400900217, m.BookUpdateId);
    }

    [Fact]
    public void Trade()
    {
        var m = Parse(TradeJson);
        Assert.Equal(MarketMessageKind.Trade, m.Kind);
        Assert.Equal(new Trading.Core.Market.Trade(1672515782136, 0.001, 100, true, 12345), m.Trade);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Combined_envelope_in_either_key_order(bool dataFirst)
    {
        var json = dataFirst
            ? $$"""{"data":{{TradeJson}},"stream":"bnbbtc@trade"}"""
            : $$"""{"stream":"bnbbtc@trade","data":{{TradeJson}}}""";
        Assert.Equal(12345, Parse(json).Trade.TradeId);
        Assert.Equal(MarketMessageKind.BookTicker, Parse($$"""{"stream":"bnbusdt@bookTicker","data":{{Book}}}""").Kind);
    }

    [Fact]
    public void Server_shutdown_raw_and_combined_and_control_replies()
    {
        Assert.Equal(MarketMessageKind.ServerShutdown, Parse("""{"e":"serverShutdown","E":1}""").Kind);
        Assert.Equal(MarketMessageKind.ServerShutdown, Parse("""{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1}}""").Kind);
        Assert.Equal(MarketMessageKind.ControlReply, Parse("""{"result":null,"id":1}""").Kind);
        Assert.Equal(MarketMessageKind.Unknown, Parse("""{"e":"depthUpdate","E":1,"s":"BNBBTC","U":1,"u":2,"b":[],"a":[]}""").Kind);
    }

    [Theory]
    [InlineData("""{"e":trade,,]""")] // the simulator's malformed fault
    [InlineData("""{"e":"trade","E":1672515782136,"s":"BNB""")] // truncated
    [InlineData("""{"e":"trade","p":0.001x}""")]
    [InlineData("""{"e":"trade","t":"12345"}""")] // an id as a string
    [InlineData("""{"e":"kline","k":{"o":"abc"}}""")]
    [InlineData("""{"e":"trade"} {}""")]
    [InlineData("")]
    public void Malformed_frames_throw_rather_than_read_as_zero(string json)
    {
        var e = Record.Exception(() => Parse(json));
        Assert.True(e is FormatException or JsonException, e?.GetType().Name ?? "no exception");
    }

    [Fact]
    public void Parsing_allocates_nothing()
    {
        var frames = new[] { Kline, Book, TradeJson, $$"""{"stream":"bnbbtc@trade","data":{{TradeJson}}}""" }
            .Select(Encoding.UTF8.GetBytes).ToArray();
        var m = default(MarketMessage);
        foreach (var f in frames)
        {
            MarketMessageParser.Parse(f, 1, ref m);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            MarketMessageParser.Parse(frames[i % frames.Length], i, ref m);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
