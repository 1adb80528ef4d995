using System.Text.Json;
using Trading.Backtest.Engine;
using Trading.Backtest.Results;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Backtest.Tests;

/// <summary>summary.json's <c>final_position</c> and <c>final_cash</c>: exact, and with the last close they make the final equity.</summary>
public sealed class FinalBalanceTests
{
    [Theory]
    [InlineData(FeeAsset.Quote)]
    [InlineData(FeeAsset.Received)]
    public void Final_cash_plus_the_position_at_the_last_close_is_the_final_equity(FeeAsset asset)
    {
        var d = StrategyRegistry.CreateDefault().Get("sma-cross");
        var r = BacktestEngine.Run(SampleData.Candles, d, ParameterSet.Empty, new BacktestOptions { FeeAsset = asset });
        Assert.True(r.Fills.Count > 2, "the run must trade");
        var position = Assert.NotNull(r.FinalPosition);
        var cash = Assert.NotNull(r.FinalCash);
        var mark = Trading.Core.Execution.FillModel.ToDecimal(SampleData.Candles[^1].Close);
        Assert.Equal(r.FinalEquity, cash + (position * mark));

        var json = JsonDocument.Parse(SummaryJson.ToJson(r)).RootElement;
        Assert.Equal(position, json.GetProperty("final_position").GetDecimal());
        Assert.Equal(cash, json.GetProperty("final_cash").GetDecimal());
    }

    [Fact]
    public void Without_the_fills_kept_they_are_null()
    {
        var d = StrategyRegistry.CreateDefault().Get("sma-cross");
        var r = BacktestEngine.Run(SampleData.Candles, d, ParameterSet.Empty, new BacktestOptions { RecordFills = false });
        Assert.True(r.FillCount > 0);
        var json = JsonDocument.Parse(SummaryJson.ToJson(r)).RootElement;
        Assert.Equal(JsonValueKind.Null, json.GetProperty("final_position").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("final_cash").ValueKind);
    }
}
