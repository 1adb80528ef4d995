using CsCheck;
using Trading.Backtest.Engine;
using Trading.Core.Orders;

namespace Trading.Backtest.Tests;

/// <summary>
/// An order slot moves as <see cref="Order"/> does: after the same fills (the first taken inline, the rest the shared
/// way), the same view to the bit — value and scale of every decimal — and the same refusals.
/// </summary>
public sealed class BacktestOrderTests
{
    private static readonly Gen<decimal> Amount = Gen.Select(Gen.Long[1, 9_999_999_999], Gen.Int[0, 8], (m, s) => new decimal((int)(uint)m, (int)(uint)((ulong)m >> 32), 0, false, (byte)s));

    /// <summary>A fee, zero (of any scale) a quarter of the time: a New slot's fees are the fill's fee itself.</summary>
    private static readonly Gen<decimal> Fee = Gen.Frequency((3, Amount), (1, Gen.Byte[0, 12].Select(s => new decimal(0, 0, 0, false, s))));

    private static bool Same(decimal a, decimal b) => decimal.GetBits(a).SequenceEqual(decimal.GetBits(b));

    private static bool Same(OrderView a, OrderView b) =>
        a.Status == b.Status && a.LastUpdateTime == b.LastUpdateTime && Same(a.Quantity, b.Quantity)
        && Same(a.FilledQuantity, b.FilledQuantity) && Same(a.AveragePrice, b.AveragePrice) && Same(a.FeesPaid, b.FeesPaid);

    [Fact]
    public void Fills_move_the_slot_as_they_move_an_order()
    {
        // quoteSized: a quote-sized market order (quantity fixed by its first fill); split: the quantity filled in two.
        Gen.Select(Amount, Amount, Fee, Gen.Bool, Gen.Int[0, 2]).Sample((quantity, price, fee, quoteSized, split) =>
        {
            var request = quoteSized ? OrderRequest.MarketQuote(OrderSide.Buy, quantity * price) : OrderRequest.Market(OrderSide.Sell, quantity);
            var order = new Order(new ClientOrderId(1), "BTCUSDT", request, 10);
            var slot = new BacktestOrder().Reset(new ClientOrderId(1), request, request.Quantity, 10, ClientOrderId.None);
            if (!Same(slot.RemainingQuantity, slot.Quantity - slot.FilledQuantity))
            {
                return false;
            }

            decimal[] parts = split == 1 ? [quantity / 2, quantity - (quantity / 2)] : split == 2 ? [quantity * 2] : [quantity];
            var time = 20L;
            foreach (var part in parts)
            {
                var fill = new Fill(new ClientOrderId(1), time, request.Side, price, part, fee);
                var amounts = new FillAmounts(fill.OrderId, fill.Time, fill.Side, fill.Price, fill.Quantity, fill.Quantity * fill.Price, fill.Fee, fill.FeeInBase, 1);
                var orderError = Record.Exception(() => order.ApplyFill(fill));
                var slotError = Record.Exception(() => slot.ApplyFill(amounts));
                if ((orderError is null) != (slotError is null) || orderError?.Message != slotError?.Message)
                {
                    return false;
                }

                time += 10;
            }

            return Same(order.View(), slot.View());
        }, iter: 5_000);
    }
}
