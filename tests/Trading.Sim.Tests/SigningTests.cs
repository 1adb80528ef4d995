using Trading.Sim.Api;

namespace Trading.Sim.Tests;

/// <summary>Binance's documented HMAC-SHA256 example signatures (binance.md §3.2, §3.3).</summary>
public sealed class SigningTests
{
    private const string Key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    private const string Secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

    [Theory]
    [InlineData("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
        "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71")]
    [InlineData("symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
        "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3")]
    public void Rest_query_examples(string payload, string expected)
    {
        Assert.Equal(expected, Signing.Sign(Secret, payload));
        Assert.Equal(payload, Signing.RestPayload("?" + payload + "&signature=" + expected, ""));
    }

    [Fact]
    public void Rest_query_then_body_joins_without_separator()
    {
        var payload = Signing.RestPayload("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC",
            "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=x");
        Assert.Equal("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559", payload);
        Assert.Equal("0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77", Signing.Sign(Secret, payload));
    }

    [Fact]
    public void WebSocket_payload_is_sorted_and_unencoded()
    {
        var w1 = new Dictionary<string, string>
        {
            ["symbol"] = "BTCUSDT", ["side"] = "SELL", ["type"] = "LIMIT", ["timeInForce"] = "GTC", ["quantity"] = "0.01000000",
            ["price"] = "52000.00", ["recvWindow"] = "100", ["timestamp"] = "1645423376532", ["apiKey"] = Key, ["signature"] = "ignored",
        };
        var payload = Signing.WebSocketPayload(w1);
        Assert.Equal($"apiKey={Key}&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT", payload);
        Assert.Equal("aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24", Signing.Sign(Secret, payload));

        var w2 = new Dictionary<string, string>(w1) { ["symbol"] = "１２３４５６", ["side"] = "BUY", ["price"] = "0.10000000", ["quantity"] = "1.00000000", ["recvWindow"] = "5000" };
        Assert.Equal("b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd", Signing.Sign(Secret, Signing.WebSocketPayload(w2)));
    }

    [Theory]
    [InlineData("timestamp=1649729878532", "1cf54395b336b0a9727ef27d5d98987962bc47aca6e13fe978612d0adee066ed")]
    [InlineData("price=23416.10000000&quantity=0.00847000&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1660801715431&type=LIMIT",
        "15af09e41c36f3cc61378c2fbe2c33719a03dd5eba8d0f9206fbda44de717c88")]
    [InlineData("orderId=12569099453&symbol=BTCUSDT&timestamp=1660801720951", "2c3aab5a078ee4ea465ecd95523b77289f61476c2f238ec10c55ea6cb11a6f35")]
    [InlineData("origClientOrderId=4d96324ff9d44481926157&symbol=BTCUSDT&timestamp=1660801715830", "33d5b721f278ae17a52f004a82a6f68a70c68e7dd6776ed0be77a455ab855282")]
    [InlineData("symbol=BTCUSDT&timestamp=1660813156812", "d632b3fdb8a81dd44f82c7c901833309dd714fe508772a89b0a35b0ee0c48b89")]
    [InlineData("timestamp=1660801839480", "83303b4a136ac1371795f465808367242685a9e3a42b22edb4d977d0696eb45c")]
    public void WebSocket_method_examples(string rest, string expected)
    {
        var ps = rest.Split('&').Select(kv => kv.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]);
        ps["apiKey"] = Key;
        Assert.Equal(expected, Signing.Sign(Secret, Signing.WebSocketPayload(ps)));
    }

    [Fact]
    public void Verify_is_case_insensitive_and_rejects_other_signatures()
    {
        const string payload = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
        Assert.True(Signing.Verify(Secret, payload, "C8DB56825AE71D6D79447849E617115F4A920FA2ACDCAB2B053C4B2838BD6B71"));
        Assert.False(Signing.Verify(Secret, payload, "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b70"));
        Assert.False(Signing.Verify(Secret, payload + "&x=1", "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"));
        Assert.False(Signing.Verify(Secret, payload, "short"));
    }
}
