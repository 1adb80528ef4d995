using System.Text;
using System.Text.Json;
using Trading.Core.Orders;
using Trading.Live.Binance;

namespace Trading.Live.Tests.Binance;

/// <summary>The HMAC test vectors of binance.md §3.2 (REST) and §3.3 (WebSocket API), reproduced by the real writers.</summary>
public sealed class SigningTests
{
    internal const string Key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    internal const string Secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

    private static readonly HmacSigner Signer = new(Secret);

    [Fact]
    public void Rest_R1_query_string()
    {
        var q = new RestQuery().Add("symbol", "LTCBTC").Add("side", "BUY").Add("type", "LIMIT").Add("timeInForce", "GTC")
            .Add("quantity", "1").Add("price", "0.1");
        var signed = q.Sign(Signer, 1499827319559, recvWindowMs: 5000);
        Assert.Equal("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
            + "&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71", signed);
    }

    [Fact]
    public void Rest_R2_percent_encodes_non_ascii_before_signing()
    {
        var q = new RestQuery().Add("symbol", "１２３４５６").Add("side", "BUY").Add("type", "LIMIT").Add("timeInForce", "GTC")
            .Add("quantity", "1").Add("price", "0.1");
        var signed = q.Sign(Signer, 1499827319559, recvWindowMs: 5000);
        Assert.StartsWith("symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY", signed);
        Assert.EndsWith("&signature=e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3", signed);
    }

    [Fact]
    public void Rest_R3_query_then_body_without_separator()
    {
        var q = new RestQuery().Add("symbol", "LTCBTC").Add("side", "BUY").Add("type", "LIMIT").Add("timeInForce", "GTC");
        var signed = q.SignAsIs(Signer, body: "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559");
        Assert.EndsWith("&signature=0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77", signed);
    }

    [Fact]
    public void WebSocket_W1_order_place_sorted_payload()
    {
        var w = new ApiRequestWriter(Key, Signer, "BTCUSDT", recvWindowMs: 100);
        var frame = w.Place(1, OrderSide.Sell, OrderType.Limit, TimeInForce.Gtc, 0.01000000m, 52000.00m, 0, 0, default, 1645423376532, responseType: null);
        Assert.Equal($"apiKey={Key}&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT",
            Encoding.UTF8.GetString(w.LastPayload));
        Assert.Equal("aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24", Param(frame, "signature"));
    }

    [Fact]
    public void WebSocket_W2_non_ascii_symbol_signed_raw()
    {
        var w = new ApiRequestWriter(Key, Signer, "１２３４５６", recvWindowMs: 5000);
        var frame = w.Place(1, OrderSide.Buy, OrderType.Limit, TimeInForce.Gtc, 1.00000000m, 0.10000000m, 0, 0, default, 1645423376532, responseType: null);
        Assert.Equal("b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd", Param(frame, "signature"));
        Assert.Equal("１２３４５６", Param(frame, "symbol"));
    }

    [Fact]
    public void WebSocket_method_examples()
    {
        var w = new ApiRequestWriter(Key, Signer, "BTCUSDT");
        Assert.Equal("15af09e41c36f3cc61378c2fbe2c33719a03dd5eba8d0f9206fbda44de717c88", Param(
            w.Place(1, OrderSide.Sell, OrderType.Limit, TimeInForce.Gtc, 0.00847000m, 23416.10000000m, 0, 0, default, 1660801715431, responseType: null), "signature"));
        Assert.Equal("2c3aab5a078ee4ea465ecd95523b77289f61476c2f238ec10c55ea6cb11a6f35", Param(
            w.Status(2, default, 12569099453, 1660801720951), "signature"));
        Assert.Equal("33d5b721f278ae17a52f004a82a6f68a70c68e7dd6776ed0be77a455ab855282", Param(
            w.Cancel(3, "4d96324ff9d44481926157"u8, 1660801715830), "signature"));
        Assert.Equal("d632b3fdb8a81dd44f82c7c901833309dd714fe508772a89b0a35b0ee0c48b89", Param(
            w.OpenOrders(4, 1660813156812), "signature"));
        Assert.Equal("83303b4a136ac1371795f465808367242685a9e3a42b22edb4d977d0696eb45c", Param(
            w.AccountStatus(5, 1660801839480), "signature"));
        // session.logon signs apiKey and timestamp, exactly what userDataStream.subscribe.signature signs.
        Assert.Equal("1cf54395b336b0a9727ef27d5d98987962bc47aca6e13fe978612d0adee066ed", Param(
            w.SubscribeUserData(6, 1649729878532), "signature"));
        Assert.Equal("userDataStream.subscribe.signature", Doc(w.SubscribeUserData(6, 1649729878532)).GetProperty("method").GetString());
    }

    [Fact]
    public void Signer_never_shows_its_secret()
    {
        Assert.DoesNotContain(Secret, Signer.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, Encoding.UTF8.GetString(new ApiRequestWriter(Key, Signer, "BTCUSDT").SubscribeUserData(1, 1).Span), StringComparison.Ordinal);
    }

    [Fact]
    public void Signing_allocates_nothing()
    {
        var w = new ApiRequestWriter(Key, Signer, "BTCUSDT");
        Span<byte> id = stackalloc byte[32];
        "q00000001-1"u8.CopyTo(id);
        w.Place(1, OrderSide.Buy, OrderType.Market, TimeInForce.Gtc, 0.001m, 0, 0, 0, id[..11], 1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            w.Place(i, OrderSide.Buy, OrderType.Market, TimeInForce.Gtc, 0.001m, 0, 0, 0, id[..11], 1_700_000_000_000 + i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    internal static JsonElement Doc(ReadOnlyMemory<byte> frame) => JsonDocument.Parse(frame).RootElement.Clone();

    internal static string? Param(ReadOnlyMemory<byte> frame, string name) =>
        Doc(frame).GetProperty("params").TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.Number ? v.GetRawText() : v.GetString() : null;
}
