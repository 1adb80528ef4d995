using Trading.Backtest.Engine;
using Trading.Core.Orders;

namespace Trading.Backtest.Tests;

/// <summary>The chunked log reads back, by index and by enumeration, exactly what was appended, across every chunk boundary.</summary>
public sealed class ChunkedLogTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(4_032)]
    [InlineData(4_033)]
    [InlineData(20_000)]
    public void Reads_back_what_was_added(int count)
    {
        var log = new ChunkedLog<Fill>();
        var expected = new List<Fill>();
        for (var i = 0; i < count; i++)
        {
            var fill = new Fill(new ClientOrderId(i + 1), i, i % 2 == 0 ? OrderSide.Buy : OrderSide.Sell, 100m + i, 0.001m * (i + 1), 0.01m, TradeId: i);
            log.Add(fill);
            expected.Add(fill);
        }

        Assert.Equal(count, log.Count);
        Assert.Equal(expected, log);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(expected[i], log[i]);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => log[count]);
        Assert.Throws<ArgumentOutOfRangeException>(() => log[-1]);
    }
}
