using CsCheck;
using Trading.Core.Execution;
using Trading.Core.Market;
using Trading.Core.Orders;

namespace Trading.Core.Tests.Execution;

/// <summary>The shared fill model, rule by rule, with prices worked out by hand (tick 0.01).</summary>
public sealed class FillModelTests
{
    private static readonly Instrument Test = new("TESTUSD", "TEST", "USD", 0.01m, 0.001m, 0.001m, 1m);
    private static readonly Candle Bar = new(0, 100, 105, 95, 102, 1);

    private static decimal? InBar(OrderType type, OrderSide side, decimal price, in Candle bar, double slippage = 0) =>
        FillModel.PriceInCandle(type, side, type == OrderType.Limit ? price : 0, type == OrderType.StopMarket ? price : 0, bar, slippage, Test);

    [Fact]
    public void Limits_fill_at_their_price_inside_the_range_or_at_an_open_through_it()
    {
        Assert.Equal(96m, InBar(OrderType.Limit, OrderSide.Buy, 96m, Bar));    // low 95 ≤ 96
        Assert.Null(InBar(OrderType.Limit, OrderSide.Buy, 94m, Bar));          // never that low
        Assert.Equal(100m, InBar(OrderType.Limit, OrderSide.Buy, 101m, Bar));  // opens below the limit: the open
        Assert.Equal(104m, InBar(OrderType.Limit, OrderSide.Sell, 104m, Bar));
        Assert.Equal(100m, InBar(OrderType.Limit, OrderSide.Sell, 99m, Bar));  // opens above: the open
        Assert.Equal(96m, InBar(OrderType.Limit, OrderSide.Buy, 96m, Bar, slippage: 50)); // limits take no slippage
    }

    [Fact]
    public void Stops_trigger_through_the_range_fill_at_a_gap_open_and_slip_onto_the_tick_grid()
    {
        Assert.Equal(104m, InBar(OrderType.StopMarket, OrderSide.Buy, 104m, Bar));
        Assert.Equal(100m, InBar(OrderType.StopMarket, OrderSide.Buy, 99m, Bar));   // opens above the stop
        Assert.Equal(96m, InBar(OrderType.StopMarket, OrderSide.Sell, 96m, Bar));
        Assert.Null(InBar(OrderType.StopMarket, OrderSide.Sell, 94m, Bar));
        Assert.Equal(100m, InBar(OrderType.StopMarket, OrderSide.Sell, 101m, Bar)); // opens below the stop

        // 96 × (1 − 0.0007) = 95.9328 → down to 95.93; 104 × 1.0007 = 104.0728 → up to 104.08.
        Assert.Equal(95.93m, InBar(OrderType.StopMarket, OrderSide.Sell, 96m, Bar, slippage: 7));
        Assert.Equal(104.08m, InBar(OrderType.StopMarket, OrderSide.Buy, 104m, Bar, slippage: 7));
    }

    [Fact]
    public void Against_a_quote_buys_take_the_ask_and_sells_the_bid()
    {
        var q = new Quote(0, 99.5, 1, 100.5, 1);
        decimal? At(OrderType type, OrderSide side, decimal price, double slippage = 0) =>
            FillModel.PriceAtQuote(type, side, type == OrderType.Limit ? price : 0, type == OrderType.StopMarket ? price : 0, q, slippage, Test);

        Assert.Equal(100.5m, At(OrderType.Market, OrderSide.Buy, 0));
        Assert.Equal(99.5m, At(OrderType.Market, OrderSide.Sell, 0));
        Assert.Equal(100.58m, At(OrderType.Market, OrderSide.Buy, 0, slippage: 7)); // 100.5 × 1.0007 = 100.57035 → up
        Assert.Equal(100.5m, At(OrderType.Limit, OrderSide.Buy, 101m));             // marketable: at the ask
        Assert.Null(At(OrderType.Limit, OrderSide.Buy, 100m));                      // ask 100.5 above the limit
        Assert.Equal(99.5m, At(OrderType.Limit, OrderSide.Sell, 99m));
        Assert.Null(At(OrderType.Limit, OrderSide.Sell, 100m));
        Assert.Equal(100.5m, At(OrderType.StopMarket, OrderSide.Buy, 100.5m));      // ask reached the stop
        Assert.Null(At(OrderType.StopMarket, OrderSide.Buy, 101m));
        Assert.Equal(99.5m, At(OrderType.StopMarket, OrderSide.Sell, 99.5m));
        Assert.Null(At(OrderType.StopMarket, OrderSide.Sell, 99m));
    }

    [Fact]
    public void An_oco_pair_touched_on_both_sides_by_one_candle_fills_its_stop()
    {
        var stop = new Order(new ClientOrderId(1), "TESTUSD", OrderRequest.StopMarket(OrderSide.Sell, 1, 96m), 0) { OcoPartner = new ClientOrderId(2) }.View();
        var take = new Order(new ClientOrderId(2), "TESTUSD", OrderRequest.Limit(OrderSide.Sell, 1, 104m), 0) { OcoPartner = new ClientOrderId(1) }.View();

        Assert.Equal((OcoLeg.StopLoss, 96m), FillModel.OcoInCandle(stop, take, Bar, 0, Test));                              // 95..105: both
        Assert.Equal((OcoLeg.TakeProfit, 104m), FillModel.OcoInCandle(stop, take, new Candle(0, 100, 105, 97, 102, 1), 0, Test));
        Assert.Equal((OcoLeg.None, 0m), FillModel.OcoInCandle(stop, take, new Candle(0, 100, 103, 97, 102, 1), 0, Test));
    }

    /// <summary>The algorithm before the jump: the double estimate, then one lot at a time.</summary>
    private static decimal SteppedQuantityForBudget(decimal budget, decimal price, decimal cashFeeRate, Instrument instrument)
    {
        if (price <= 0 || budget <= 0)
        {
            return 0;
        }

        var unit = price * (1 + cashFeeRate);
        var step = instrument.LotStep > 0 ? instrument.LotStep : 0.00000001m;
        var q = instrument.RoundQuantityDown((decimal)((double)budget / (double)unit));
        while (q > 0 && q * unit > budget)
        {
            q -= step;
        }

        while ((q + step) * unit <= budget)
        {
            q += step;
        }

        return q;
    }

    [Fact]
    public void A_budget_quantity_is_bit_for_bit_the_one_stepping_lot_by_lot_finds()
    {
        decimal[] lots = [1m, 0.001m, 0.00001m, 0.00000001m, 0.10m];
        decimal[] rates = [0m, 0.001m, 0.00075m, 0.01m];
        // Up to 1e17 lots: the estimate is then up to ~100 lots off (the jump's case), and stepping stays quick.
        var gen = Gen.Select(Gen.Int[0, lots.Length - 1], Gen.Int[0, rates.Length - 1], Gen.Long[1, 10_000_000_000], Gen.Long[1, 100_000_000], Gen.Int[0, 8])
            .Where(t => t.Item3 / 100m / (t.Item4 / (decimal)Math.Pow(10, t.Item5)) / lots[t.Item1] <= 1e17m);
        gen.Sample((lot, rate, budgetCents, priceUnits, priceScale) =>
        {
            var instrument = new Instrument("X", "B", "Q", 0.00000001m, lots[lot], 0m, 0m);
            var budget = budgetCents / 100m;
            var price = priceUnits / (decimal)Math.Pow(10, priceScale);
            var expected = SteppedQuantityForBudget(budget, price, rates[rate], instrument);
            var actual = FillModel.QuantityForBudget(budget, price, rates[rate], instrument);
            return decimal.GetBits(expected).AsSpan().SequenceEqual(decimal.GetBits(actual));
        }, iter: 20_000);
    }

    [Fact]
    public void A_huge_budget_with_a_fine_lot_is_sized_exactly_without_stepping_millions_of_lots()
    {
        // The double estimate is ~1e-15 of q off: here ~1e8 lots, which stepping one by one took tens of seconds.
        var instrument = new Instrument("X", "B", "Q", 0.0000001m, 0.00000001m, 0m, 0m);
        const decimal price = 0.0012345m, rate = 0.001m;
        foreach (var budget in new[] { 1e9m, 1e13m, 1e15m, 123_456_789_012_345.67m })
        {
            var q = FillModel.QuantityForBudget(budget, price, rate, instrument);
            var unit = price * (1 + rate);
            Assert.True(q * unit <= budget, $"{q} costs more than {budget}");
            Assert.True((q + 0.00000001m) * unit > budget, $"one more lot than {q} still fits {budget}");
            Assert.Equal(0m, q % 0.00000001m);
        }
    }

    [Fact]
    public void A_budget_buys_the_largest_lot_multiple_that_fits_with_the_cash_fee()
    {
        // 1 000 / (103 × 1.001) = 9.699… → 9.699 (9.699 × 103.103 = 999.996…); without a cash fee 1 000 / 103 → 9.708.
        Assert.Equal(9.699m, FillModel.QuantityForBudget(1_000m, 103m, 0.001m, Test));
        Assert.Equal(9.708m, FillModel.QuantityForBudget(1_000m, 103m, 0m, Test));
        Assert.Equal(0m, FillModel.QuantityForBudget(0.05m, 103m, 0.001m, Test));
        Assert.Equal(42_283.58m, FillModel.ToDecimal(42283.58));
    }

    /// <summary>ToDecimal's shortcut against the conversion it stands for, bit for bit (value and scale).</summary>
    private static void SameAsConversion(double price)
    {
        var expected = decimal.GetBits(decimal.Round((decimal)price, 8));
        var actual = decimal.GetBits(FillModel.ToDecimal(price));
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"ToDecimal({price:R}) = {FillModel.ToDecimal(price)} (scale {FillModel.ToDecimal(price).Scale}), the conversion gives {decimal.Round((decimal)price, 8)} (scale {decimal.Round((decimal)price, 8).Scale})");
    }

    [Fact]
    public void ToDecimal_is_the_rounded_conversion_to_the_bit_for_prices_of_up_to_eight_decimals()
    {
        // k / 10^s as a double, for every scale the shortcut handles and a few beyond it, across the magnitudes.
        Gen.Select(Gen.Long[1, 999_999_999_999_999], Gen.Int[0, 10]).Sample((k, s) =>
        {
            var price = k / Math.Pow(10, s);
            SameAsConversion(price);
            SameAsConversion(Math.Round(price, 2));
        }, iter: 200_000);
    }

    [Fact]
    public void ToDecimal_is_the_rounded_conversion_to_the_bit_for_any_double()
    {
        SameAsConversion(-0.0); // a negative zero: not the shortcut's (InlineData would take it for 0.0)
        Gen.Double.Sample(SameAsConversionWhereDefined, iter: 100_000);
        Gen.Double[0, 2e7].Sample(SameAsConversion, iter: 100_000);

        static void SameAsConversionWhereDefined(double price)
        {
            if (double.IsFinite(price) && Math.Abs(price) < 7.9e28)
            {
                SameAsConversion(price);
            }
        }
    }

    [Theory]
    [InlineData(40123.45)]
    [InlineData(40123.4)]
    [InlineData(40123.0)]
    [InlineData(0.1)]
    [InlineData(0.30000000000000004)]
    [InlineData(1e-8)]
    [InlineData(1e-9)]
    [InlineData(0.0)]
    [InlineData(-40123.45)]
    [InlineData(9_999_999.99999999)]
    [InlineData(10_000_000.0)]
    [InlineData(12_345_678.12345678)]
    [InlineData(0.12345678)]
    [InlineData(0.123456789)]
    [InlineData(99_999.99)]
    public void ToDecimal_is_the_rounded_conversion_to_the_bit_at_the_edges(double price) => SameAsConversion(price);
}
