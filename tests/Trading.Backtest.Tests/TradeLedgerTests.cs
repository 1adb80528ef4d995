using CsCheck;
using Trading.Backtest.Engine;
using Trading.Backtest.Metrics;
using Trading.Backtest.Results;
using Trading.Core.Orders;

namespace Trading.Backtest.Tests;

/// <summary>
/// The trade ledger gives the trades of its plain definition (<see cref="ReferenceTradeLedger"/>) to the bit — every
/// decimal's value and scale, every double's bits — and the statistics of those trades, on random fill sequences that
/// open, add, reduce, close exactly, flip and leave dust, with fees in either asset; and the decimal identities its
/// shortcuts rest on hold on random decimals.
/// </summary>
public sealed class TradeLedgerTests
{
    private static readonly Gen<decimal> AnyDecimal = Gen.Select(Gen.ULong, Gen.UInt, Gen.Int[0, 3], Gen.Bool, Gen.Byte[0, 28])
        .Select((m, hi, kind, negative, scale) => new decimal(
            kind == 0 ? 0 : (int)(uint)(kind == 1 ? m % 1000 : m), kind == 3 ? (int)(uint)(m >> 32) : 0, kind == 3 && hi % 4 == 0 ? (int)hi : 0, negative, scale));

    private static bool Same(decimal a, decimal b) => decimal.GetBits(a).SequenceEqual(decimal.GetBits(b));

    private static bool Same(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    private static decimal Dec(long mantissa, int scale) => new((int)(uint)(ulong)mantissa, (int)(uint)((ulong)mantissa >> 32), 0, false, (byte)scale);

    [Fact]
    public void The_shortcuts_decimal_identities_hold()
    {
        Gen.Select(AnyDecimal, AnyDecimal).Sample((x, y) =>
            Same(1m * x, x)
            && Same(-1m * x, -x)
            && (x <= 0 || Same(0m + x, x))
            && (x == 0 || Same(x + (x - x), x))
            && (x == 0 || Same(x + (-x), new decimal(0, 0, 0, decimal.IsNegative(x), x.Scale)))
            && Same(Math.Min(x, y), decimal.Compare(x, y) < 0 ? x : y)
            && Math.Sign(decimal.Compare(x, y)) == (x < y ? -1 : x > y ? 1 : 0)
            && (Math.Sign(x) > 0) == (x > 0), iter: 200_000);
        Gen.Select(AnyDecimal, Gen.Bool, Gen.Byte[0, 28]).Sample((x, negative, scale) =>
        {
            // A zero of either sign plus a non-zero value of at least its scale is that value.
            var zero = new decimal(0, 0, 0, negative, scale);
            return x == 0 || scale > x.Scale || Same(zero + x, x);
        }, iter: 200_000);
        Gen.Select(AnyDecimal, AnyDecimal).Sample((x, y) =>
        {
            try
            {
                return Same(x * y, y * x);
            }
            catch (OverflowException)
            {
                return true;
            }
        }, iter: 200_000);
    }

    [Fact]
    public void Trades_are_those_of_the_plain_definition_to_the_bit()
    {
        // A step: side, how the quantity is drawn (0 = the position exactly, at a finer scale; 12 = the position's
        // own bits; 1 = the position and more, a flip; 13 = zero; 14 = negative; else a random amount), the amount, the price, the fee and its asset.
        var amount = Gen.Select(Gen.Long[1, 99_999_999], Gen.Int[0, 8], Dec);
        // A third of the prices are 1 to 4, so that average exit prices often divide exactly and show their scale.
        var price = Gen.Select(Gen.Long[1, 99_999_999], Gen.Int[0, 4], Gen.Int[0, 2], (m, scale, round) => round == 0 ? m % 4 + 1 : Dec(m, scale));
        var fee = Gen.Select(Gen.Long[0, 9_999], Gen.Int[0, 7], Dec);
        var step = Gen.Select(Gen.Bool, Gen.Int[0, 14], amount, price, fee, Gen.Bool, (buy, how, a, p, f, inBase) => new Step(buy, how, a, p, f, inBase));
        decimal[] lots = [0m, 0.001m, 0.00001m, 1m, 0.1000m];
        Gen.Select(Gen.Int[0, lots.Length - 1], step.Array[1, 40]).Sample((lot, steps) =>
        {
            var lotStep = lots[lot];
            var ledger = new TradeLedger(lotStep);
            var reference = new ReferenceTradeLedger(lotStep);
            var time = 1_704_067_200_000L;
            foreach (var (drawnBuy, how, drawn, p, drawnFee, feeInBase) in steps)
            {
                var held = Math.Abs(reference.Position);
                var quantity = how switch
                {
                    0 => held * 1.0m,
                    1 => held + drawn,
                    12 => held,
                    13 => 0m * drawn,
                    14 => -drawn,
                    _ => drawn,
                };
                var buy = how is <= 1 or 12 ? reference.Position < 0 : drawnBuy;

                var side = buy ? OrderSide.Buy : OrderSide.Sell;
                var f = feeInBase ? drawnFee * Math.Abs(quantity) / 10_000 : drawnFee;
                var fill = new FillAmounts(new ClientOrderId(1), time, side, p, quantity, quantity * p, f, feeInBase, 1);
                time += 60_000;
                ledger.Add(fill, "signal");
                reference.Add(fill, "signal");
                if (ledger.HasOpenTrade != reference.HasOpenTrade || !SameTrades(ledger.Closed, reference.Closed))
                {
                    return false;
                }

                var mark = p + 1.5m;
                var open = ledger.OpenTrade(mark);
                var expectedOpen = reference.OpenTrade(mark);
                if ((open is null) != (expectedOpen is null) || (open is not null && !SameTrade(open, expectedOpen!)))
                {
                    return false;
                }
            }

            return SameStatistics(ledger.Statistics, TradeStatistics.Of(reference.Closed));
        }, iter: 20_000);
    }

    [Fact]
    public void An_exact_close_at_a_finer_scale_after_a_partial_one_keeps_the_exit_notionals_scale()
    {
        // 1.5 bought, 0.5 sold at 3, then 1.00 (the 1.0 held, one digit finer) at 3: the exit notional is 1.5 + 1.0 × 3
        // = 4.5, so the average exit price is 4.5 / 1.5 = 3 — with 1.00 × 3 it would be 4.50 / 1.5 = 3.0.
        var ledger = new TradeLedger(0.1m);
        var reference = new ReferenceTradeLedger(0.1m);
        FillAmounts[] fills =
        [
            new(new ClientOrderId(1), 0, OrderSide.Buy, 3m, 1.5m, 4.5m, 0m, false, 1),
            new(new ClientOrderId(2), 60_000, OrderSide.Sell, 3m, 0.5m, 1.5m, 0m, false, 2),
            new(new ClientOrderId(3), 120_000, OrderSide.Sell, 3m, 1.00m, 3.00m, 0m, false, 3),
        ];
        foreach (var fill in fills)
        {
            ledger.Add(fill, "signal");
            reference.Add(fill, "signal");
        }

        Assert.Single(reference.Closed);
        Assert.Equal(0, reference.Closed[0].ExitPrice.Scale);
        Assert.True(SameTrades(ledger.Closed, reference.Closed));
    }

    [Fact]
    public void A_reset_ledger_reports_as_a_new_one()
    {
        var ledger = new TradeLedger(0.001m);
        var buy = new FillAmounts(new ClientOrderId(1), 0, OrderSide.Buy, 100m, 1.5m, 150.0m, 0.1m, false, 1);
        var sell = new FillAmounts(new ClientOrderId(2), 60_000, OrderSide.Sell, 101m, 2.50m, 252.50m, 0.1m, false, 2);
        ledger.Add(buy, "signal");
        ledger.Add(sell, "signal");
        Assert.Single(ledger.Closed);
        Assert.True(ledger.HasOpenTrade);

        ledger.Reset(0.001m, keepTrades: true);
        Assert.Empty(ledger.Closed);
        Assert.False(ledger.HasOpenTrade);
        Assert.Equal(0, ledger.ClosedCount);

        var reference = new ReferenceTradeLedger(0.001m);
        foreach (var fill in new[] { sell, buy })
        {
            ledger.Add(fill, "signal");
            reference.Add(fill, "signal");
        }

        Assert.True(SameTrades(ledger.Closed, reference.Closed));
        Assert.True(SameTrade(ledger.OpenTrade(99m)!, reference.OpenTrade(99m)!));
    }

    private readonly record struct Step(bool Buy, int How, decimal Amount, decimal Price, decimal Fee, bool FeeInBase);

    private static bool SameTrades(IReadOnlyList<TradeRecord> actual, IReadOnlyList<TradeRecord> expected)
    {
        if (actual.Count != expected.Count)
        {
            return false;
        }

        for (var i = 0; i < actual.Count; i++)
        {
            if (!SameTrade(actual[i], expected[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameTrade(TradeRecord a, TradeRecord e) =>
        a.Side == e.Side && a.EntryTime == e.EntryTime && a.ExitTime == e.ExitTime && Same(a.Quantity, e.Quantity)
        && Same(a.EntryPrice, e.EntryPrice) && Same(a.ExitPrice, e.ExitPrice) && Same(a.Pnl, e.Pnl)
        && Same(a.ReturnPct, e.ReturnPct) && Same(a.Fees, e.Fees) && a.ExitReason == e.ExitReason;

    private static bool SameStatistics(in TradeStatistics a, in TradeStatistics e) =>
        a.Count == e.Count && Same(a.Wins, e.Wins) && Same(a.GrossWin, e.GrossWin) && Same(a.GrossLoss, e.GrossLoss)
        && Same(a.Best, e.Best) && Same(a.Worst, e.Worst) && Same(a.SumReturn, e.SumReturn) && Same(a.SumPnl, e.SumPnl)
        && a.SumDuration == e.SumDuration && a.MaxDuration == e.MaxDuration;
}
