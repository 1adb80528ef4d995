using Trading.Backtest.Results;
using Trading.Core.Accounting;
using Trading.Core.Execution;
using Trading.Core.Market;
using Trading.Core.Orders;

namespace Trading.Backtest.Engine;
/// <summary>
/// The simulated venue's side of a run: each open order matched against a candle by <see cref="FillModel"/> (the
/// one-order case without copying the book, OCO legs as one), and a fill executed — funds checked, commission, cash,
/// position, trade ledger, hash and events — with the candle's open and close decimals converted once per candle.
/// </summary>
internal sealed partial class BacktestRun
{
    private void MatchOpenOrders(in Candle candle)
    {
        if (_open.Count == 1)
        {
            // One order (the usual case): nothing else to visit, so no copy to guard the loop against changes.
            MatchOne(_open[0], _openSince[0], candle);
        }
        else
        {
            // Work on a copy: a rejection drains events at once, and strategies may then add or cancel orders.
            _scratch.Clear();
            _scratchSince.Clear();
            _scratch.AddRange(_open);
            _scratchSince.AddRange(_openSince);
            for (var i = 0; i < _scratch.Count; i++)
            {
                MatchOne(_scratch[i], _scratchSince[i], candle);
            }
        }

        Drain();
    }

    /// <summary>One order that was on the book when the candle opened (accepted at candle <paramref name="since"/>) against the candle.</summary>
    private void MatchOne(BacktestOrder order, int since, in Candle candle)
    {
        if (!order.IsOpen || since >= _index)
        {
            return;
        }

        if (!order.OcoPartner.IsNone)
        {
            MatchOco(order, candle);
            return;
        }

        decimal? price = order.Type == OrderType.Market
            ? Slip(OpenDecimal(candle.Open), order.Side)
            : FillModel.PriceInCandle(order.Type, order.Side, order.Price, order.StopPrice, candle, _options.SlippageBps, _instrument);
        if (price is { } p)
        {
            Execute(order, p, candle.OpenTime);
        }
        else if (order.Type == OrderType.Limit && order.TimeInForce != TimeInForce.Gtc)
        {
            RemoveOpen(order);
            order.Expire(candle.OpenTime, $"{order.TimeInForce} limit did not fill in its first candle");
            Retire(order);
            if (_listens)
            {
                _events.Enqueue(new OrderEvent(OrderEventKind.Expired, order.View(), Reason: order.Reason));
            }
        }
    }

    /// <summary>
    /// One candle against an OCO pair: the stop when the candle reaches it (also when it reaches the limit too: a candle
    /// does not tell which came first, so the pessimistic fill), else the limit when it reaches that; the other order
    /// is canceled. A leg rejected at fill time (funds) cancels the other too.
    /// </summary>
    private void MatchOco(BacktestOrder leg, in Candle candle)
    {
        var partner = FindOpen(leg.OcoPartner);
        if (partner is null)
        {
            return; // not reachable: a pair leaves the book together
        }

        var (stop, limit) = leg.Type == OrderType.StopMarket ? (leg, partner) : (partner, leg);
        var (which, price) = FillModel.OcoInCandle(stop.View(), limit.View(), candle, _options.SlippageBps, _instrument);
        if (which == OcoLeg.None)
        {
            return;
        }

        var (fills, other) = which == OcoLeg.StopLoss ? (stop, limit) : (limit, stop);
        Execute(fills, price, candle.OpenTime);
        if (other.IsOpen)
        {
            // Constants, not an interpolation: the same text without a string built per OCO fill.
            CancelOpen(other, fills.Status != OrderStatus.Filled ? "oco: the other order was rejected"
                : which == OcoLeg.StopLoss ? "oco: the stop-loss filled"
                : "oco: the take-profit filled");
        }
    }

    /// <summary>Fills <paramref name="order"/> completely at <paramref name="price"/>, or rejects it when the account cannot take it.</summary>
    private void Execute(BacktestOrder order, decimal price, long time)
    {
        // decimal.Sign reads a sign test from the bits; the operators with 0m go through the general comparison.
        var quoteSized = decimal.Sign(order.QuoteQuantity) > 0 && decimal.Sign(order.FilledQuantity) == 0 && decimal.Sign(order.Quantity) == 0;
        var quantity = quoteSized
            ? _rules.QuantityForBudgetAt(Budget(order.Side, order.QuoteQuantity, price), price, order.Side == OrderSide.Buy ? _onePlusBuyFeeRate : _onePlusSellFeeRate)
            : order.RemainingQuantity;
        // The notional and the commission are worked out once, for the checks, the fee and the fill.
        var positive = decimal.Sign(quantity) > 0;
        var notional = positive ? quantity * price : 0;
        var fee = default(Commission);
        var reason = !positive
            ? RejectReason.QuoteBelowLot(order.QuoteQuantity, _instrument.LotStep, price)
            : quoteSized
                ? _rules.PassesFilters(quantity, price, notional)
                    ? CheckFunds(order.Side, quantity, price, notional, fee = Fee(order.Side, quantity, notional))
                    : RejectReason.Filters(quantity, price)
            : notional < _instrument.MinNotional
                ? RejectReason.MinNotional(notional, _instrument.MinNotional)
                : CheckFunds(order.Side, quantity, price, notional, fee = Fee(order.Side, quantity, notional));
        if (!reason.IsNone)
        {
            RemoveOpen(order);
            Reject(order, reason);
            return;
        }

        var fill = new FillAmounts(order.Id, time, order.Side, price, quantity, notional, fee.Amount, fee.InBase, ++_tradeSeq);
        order.ApplyFill(fill);
        _account.Apply(fill);
        _ledger.Add(fill, order.Tag ?? "signal");
        FillCount++;
        _hash.Append(fill.Time, fill.Side, fill.Price, fill.Quantity);
        if (_recordFills)
        {
            _fills!.Add(fill.ToFill());
        }

        CashD = (double)_account.Cash;
        var position = _account.Position;
        _held = position.Quantity;
        if (decimal.Sign(_held) == 0)
        {
            // Flat (an exit's usual end): rounding zero gives it back, so the position stands and nothing is exposed.
            Position = position;
            Exposed = false;
        }
        else
        {
            var tradable = decimal.Sign(_held) >= 0 ? _rules.RoundQuantityDown(_held) : -_rules.RoundQuantityDown(-_held);
            // The same bits are equal (the usual case: the holding is on the lot grid, so rounding returned it).
            Position = DecimalParts.SameBits(in tradable, in _held) || tradable == _held ? position : new Position(tradable, decimal.Sign(tradable) == 0 ? 0 : position.AveragePrice);
            Exposed = decimal.Sign(tradable) != 0;
        }

        PositionD = (double)_held;
        if (!order.IsOpen)
        {
            RemoveOpen(order);
            Retire(order);
        }

        if (_listens)
        {
            _events.Enqueue(new OrderEvent(OrderEventKind.Filled, order.View(), fill.ToFill()));
        }
    }

    /// <summary>
    /// What a quote-sized order may spend, decided at fill time: its quote quantity, clamped to the cash then available
    /// for a buy (a cover filled just before it has already paid its fee and the gap), or to the equity at the fill
    /// price for a sell, so that an all-in entry sized at the signal is never refused at the fill.
    /// </summary>
    private decimal Budget(OrderSide side, decimal quoteQuantity, decimal price)
    {
        var available = side == OrderSide.Buy ? _account.Cash : _account.Cash + (_held * price);
        return Math.Max(0, Math.Min(quoteQuantity, available));
    }

    /// <summary>The fee rate paid out of cash on <paramref name="side"/>: none on a buy whose fee is taken from the base asset received.</summary>
    private decimal CashFeeRate(OrderSide side) =>
        side == OrderSide.Buy && _options.FeeAsset == FeeAsset.Received ? 0 : _options.FeeRate;

    /// <summary>
    /// Funds at fill time. A buy may not leave cash negative (covering a short is paid from its proceeds, which sit in
    /// cash). A sell beyond the long position needs shorting on, and the short's notional may not exceed equity.
    /// </summary>
    private RejectReason CheckFunds(OrderSide side, decimal quantity, decimal price, decimal notional, Commission fee)
    {
        if (side == OrderSide.Buy)
        {
            var cashFee = fee.InBase ? 0 : fee.Amount;
            var cost = DecimalParts.LeavesUnchanged(in notional, in cashFee) ? notional : notional + cashFee;
            return cost > _account.Cash
                ? RejectReason.Cash(quantity, price, cost, fee.InBase, _account.Cash)
                : default;
        }

        var shorting = CheckShorting(side, quantity);
        if (!shorting.IsNone)
        {
            return shorting;
        }

        // Selling exactly the holding (an exit's usual case) leaves zero, not a short: no subtraction to find that out.
        if (!DecimalParts.SameBits(in _held, in quantity))
        {
            var after = _held - quantity;
            if (decimal.Sign(after) < 0)
            {
                var equity = _account.Cash + (_held * price) - fee.Amount;
                if (-after * price > equity)
                {
                    return RejectReason.Margin(-after, price, equity);
                }
            }
        }

        return default;
    }

    /// <summary>
    /// <see cref="Commission.For"/> expression for expression, with its quantity × price given: price × quantity × rate
    /// in the quote asset; or, fees in the received asset, a buy's quantity × rate, a sell's notional × rate, rounded.
    /// </summary>
    private Commission Fee(OrderSide side, decimal quantity, decimal notional) =>
        _options.FeeAsset == FeeAsset.Quote ? new Commission(notional * _options.FeeRate, false)
        : side == OrderSide.Buy ? new Commission(Commission.Round(quantity * _options.FeeRate), true)
        : new Commission(Commission.Round(notional * _options.FeeRate), false);

    /// <summary><see cref="FillModel.Slip"/>: the reference itself without slippage (the decimal path with it).</summary>
    private decimal Slip(decimal reference, OrderSide side) =>
        _options.SlippageBps == 0 ? reference : FillModel.Slip(reference, side, _options.SlippageBps, _instrument);

    /// <summary><see cref="FillModel.ToDecimal"/> of the close of the candle replayed (or of the last one, after it).</summary>
    private decimal CloseDecimal()
    {
        if (_closeDecimalAt != _index)
        {
            _closeDecimal = FillModel.ToDecimal(_close);
            _closeDecimalAt = _index;
        }

        return _closeDecimal;
    }

    /// <summary><see cref="FillModel.ToDecimal"/> of the open of the candle replayed.</summary>
    private decimal OpenDecimal(double open)
    {
        if (_openDecimalAt != _index)
        {
            _openDecimal = FillModel.ToDecimal(open);
            _openDecimalAt = _index;
        }

        return _openDecimal;
    }
}
