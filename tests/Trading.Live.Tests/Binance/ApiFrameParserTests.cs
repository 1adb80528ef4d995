using System.Text;
using System.Text.Json;
using Trading.Core.Orders;
using Trading.Live.Binance;
using Trading.Live.Orders;

namespace Trading.Live.Tests.Binance;

/// <summary>WebSocket API responses and pushed user-data events (binance.md §2.1, §4), documented shapes.</summary>
public sealed class ApiFrameParserTests
{
    private static readonly ClientOrderIdCodec Ids = new(42);
    private readonly ApiFrameParser _parser = new(Ids, "BTC", "USDT");
    private readonly ApiFrame _frame = new();

    private ApiFrame Parse(string json)
    {
        _parser.Parse(Encoding.UTF8.GetBytes(json), _frame);
        return _frame;
    }

    [Fact]
    public void Response_with_result_and_rate_limits()
    {
        var json = """{"id":17,"status":200,"result":{"serverTime":1656400526260},"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000,"count":70},{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":50,"count":3}]}""";
        var f = Parse(json);
        Assert.Equal(ApiFrameKind.Response, f.Kind);
        Assert.Equal(17, f.Id);
        Assert.True(f.IsSuccess);
        Assert.Equal("""{"serverTime":1656400526260}""", Encoding.UTF8.GetString(f.Result(Encoding.UTF8.GetBytes(json))));
        Assert.Equal(1656400526260, VenueOrderParser.ReadLong(f.Result(Encoding.UTF8.GetBytes(json)), "serverTime"u8));
        Assert.Equal([new RateLimitEntry(RateLimitType.RequestWeight, 'M', 1, 6000, 70), new RateLimitEntry(RateLimitType.Orders, 'S', 10, 50, 3)], f.RateLimits.ToArray());
    }

    [Fact]
    public void Error_responses_carry_code_message_and_retry_after()
    {
        var f = Parse("""{"id":3,"status":400,"error":{"code":-2010,"msg":"Account has insufficient balance for requested action."},"rateLimits":[]}""");
        Assert.Equal((400, -2010, "Account has insufficient balance for requested action."), (f.Status, f.ErrorCode, f.ErrorMessage));
        Assert.Equal(0, f.ResultLength);
        f = Parse("""{"id":"fc93","status":418,"error":{"code":-1003,"msg":"Way too much request weight used; IP banned until 1659146400000.","data":{"serverTime":1659142907531,"retryAfter":1659146400000}},"rateLimits":[]}""");
        Assert.Equal((-1L, 418, -1003, 1659146400000L, 1659142907531L), (f.Id, f.Status, f.ErrorCode, f.RetryAfter, f.ServerTime));
        f = Parse("""{"id":4,"status":400,"error":{"code":-2010,"msg":"x"},"rateLimits":[]}""");
        Assert.Equal((0L, 0L), (f.RetryAfter, f.ServerTime)); // the frame is reused: nothing carried over from the 418
    }

    [Fact]
    public void Execution_report_trade_with_commission_in_base()
    {
        var c = Ids.Format(5);
        var f = Parse($$$"""{"subscriptionId":0,"event":{"e":"executionReport","E":1499405658658,"s":"BTCUSDT","c":"{{{c}}}","S":"BUY","o":"LIMIT","f":"GTC","q":"1.00000000","p":"0.10264410","P":"0.00000000","F":"0.00000000","g":-1,"C":"","x":"TRADE","X":"PARTIALLY_FILLED","r":"NONE","i":4293153,"l":"0.40000000","z":"0.40000000","L":"0.10264400","n":"0.00040000","N":"BTC","T":1499405658657,"t":77,"I":8641984,"w":true,"m":false,"M":false,"O":1499405658657,"Z":"0.04105760","Y":"0.04105760","Q":"0.00000000","W":1499405658657,"V":"NONE"}}""");
        Assert.Equal(ApiFrameKind.ExecutionReport, f.Kind);
        Assert.Equal(0, f.SubscriptionId);
        var r = f.Execution;
        Assert.Equal((5L, 0L, OrderSide.Buy, ExecutionType.Trade, VenueOrderStatus.PartiallyFilled), (r.Sequence, r.OriginalSequence, r.Side, r.ExecutionType, r.Status));
        Assert.Equal((0.4m, 0.102644m, 0.4m, 0.0410576m, 0.0004m, CommissionAsset.Base), (r.LastQuantity, r.LastPrice, r.CumulativeQuantity, r.CumulativeQuote, r.Commission, r.CommissionAsset));
        Assert.Equal((77L, 8641984L, 4293153L, 1499405658657L, -1L), (r.TradeId, r.ExecutionId, r.OrderId, r.TransactionTime, r.OrderListId));
        Assert.Null(r.RejectReason);
        Assert.Equal(5, r.OrderSequence);
    }

    [Fact]
    public void Execution_report_cancel_names_the_original_and_a_foreign_id_is_zero()
    {
        var f = Parse($$$"""{"subscriptionId":1,"event":{"e":"executionReport","E":1,"c":"web_abc","C":"{{{Ids.Format(9)}}}","S":"SELL","x":"CANCELED","X":"CANCELED","r":"NONE","i":1,"l":"0","z":"0","L":"0","n":"0","N":null,"T":2,"t":-1,"I":3,"m":false}}""");
        Assert.Equal((0L, 9L, 9L, CommissionAsset.None, -1L), (f.Execution.Sequence, f.Execution.OriginalSequence, f.Execution.OrderSequence, f.Execution.CommissionAsset, f.Execution.TradeId));
        Assert.Equal(0, Parse($$$"""{"subscriptionId":1,"event":{"e":"executionReport","c":"{{{new ClientOrderIdCodec(43).Format(9)}}}","S":"BUY","x":"NEW","X":"NEW"}}""").Execution.Sequence);
        Assert.Equal("INSUFFICIENT_BALANCES", Parse("""{"subscriptionId":1,"event":{"e":"executionReport","S":"BUY","x":"REJECTED","X":"REJECTED","r":"INSUFFICIENT_BALANCES"}}""").Execution.RejectReason);
    }

    [Fact]
    public void Account_position_balance_update_and_list_status()
    {
        var f = Parse("""{"subscriptionId":0,"event":{"e":"outboundAccountPosition","E":1564034571105,"u":1564034571073,"B":[{"a":"ETH","f":"10000.000000","l":"0.000000"},{"a":"BTC","f":"1.5","l":"0.25"},{"a":"USDT","f":"99.5","l":"0"}]}}""");
        Assert.Equal(ApiFrameKind.BalanceChange, f.Kind);
        Assert.Equal((false, true, 1.5m, 0.25m, true, 99.5m), (f.Balance.IsDelta, f.Balance.HasBase, f.Balance.BaseFree, f.Balance.BaseLocked, f.Balance.HasQuote, f.Balance.QuoteFree));
        f = Parse("""{"subscriptionId":0,"event":{"e":"balanceUpdate","E":1573200697110,"a":"USDT","d":"-100.00000000","T":1573200697068}}""");
        Assert.Equal((true, CommissionAsset.Quote, -100m), (f.Balance.IsDelta, f.Balance.DeltaAsset, f.Balance.Delta));
        f = Parse($$$"""{"subscriptionId":0,"event":{"e":"listStatus","E":1564035303637,"s":"ETHBTC","g":2,"c":"OCO","l":"ALL_DONE","L":"ALL_DONE","r":"NONE","C":"{{{Ids.Format(3)}}}","T":1564035303625,"O":[{"s":"ETHBTC","i":17,"c":"{{{Ids.Format(4)}}}"},{"s":"ETHBTC","i":18,"c":"{{{Ids.Format(5)}}}"}]}}""");
        Assert.Equal(ApiFrameKind.ListStatus, f.Kind);
        Assert.Equal((2L, true, false, 3L, 2, 4L, 5L), (f.List.OrderListId, f.List.AllDone, f.List.Rejected, f.List.ListSequence, f.List.MemberCount, f.List.Member0, f.List.Member1));
    }

    [Fact]
    public void Event_type_is_found_wherever_e_sits()
    {
        // "l" is a quantity in executionReport: read by type, not by position, even with "e" last.
        var f = Parse($$$"""{"event":{"l":"0.5","x":"TRADE","X":"FILLED","S":"SELL","c":"{{{Ids.Format(1)}}}","t":9,"e":"executionReport"},"subscriptionId":4}""");
        Assert.Equal((ApiFrameKind.ExecutionReport, 0.5m, 4L), (f.Kind, f.Execution.LastQuantity, f.SubscriptionId));
        Assert.Equal(ApiFrameKind.ServerShutdown, Parse("""{"event":{"e":"serverShutdown","E":1}}""").Kind);
        Assert.Equal(ApiFrameKind.StreamTerminated, Parse("""{"subscriptionId":0,"event":{"e":"eventStreamTerminated","E":1}}""").Kind);
        Assert.Equal(ApiFrameKind.OtherEvent, Parse("""{"subscriptionId":0,"event":{"e":"externalLockUpdate","E":1,"a":"BTC","d":"1","T":1}}""").Kind);
    }

    [Theory]
    [InlineData("""{"id":1,"result":{}}""")] // a response without status
    [InlineData("""{"id":1,"status":200,"result":{""")]
    [InlineData("""{"subscriptionId":0,"event":{"e":"executionReport","t":"9"}}""")]
    public void Malformed_frames_throw(string json)
    {
        var e = Record.Exception(() => Parse(json));
        Assert.True(e is FormatException or JsonException, e?.GetType().Name ?? "no exception");
    }

    [Fact]
    public void Execution_reports_parse_without_allocating()
    {
        var bytes = Encoding.UTF8.GetBytes($$$"""{"subscriptionId":0,"event":{"e":"executionReport","E":1,"s":"BTCUSDT","c":"{{{Ids.Format(5)}}}","S":"BUY","x":"TRADE","X":"FILLED","r":"NONE","i":4,"l":"0.4","z":"0.4","L":"100.5","n":"0.0004","N":"BTC","T":1,"t":77,"I":8,"m":false,"Z":"40.2"}}""");
        _parser.Parse(bytes, _frame);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++)
        {
            _parser.Parse(bytes, _frame);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
