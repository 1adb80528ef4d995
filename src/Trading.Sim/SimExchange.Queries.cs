using System.Text.Json;
using Trading.Sim.Api;
using Trading.Sim.Market;
using Trading.Sim.Transport;

namespace Trading.Sim;

/// <summary>The query handlers: order status, open and all orders, account, trades, market data, exchange info and
/// the user-data subscription.</summary>
internal sealed partial class SimExchange
{
    private byte[] OrderStatus(ApiParams p)
    {
        CheckSymbol(p);
        var (orderId, clientId) = OrderRef(p);
        var order = _engine.Find(orderId, clientId);
        if (order is null)
        {
            if (orderId is not null && clientId is not null && _engine.Find(orderId, null) is not null)
            {
                throw new ApiException(400, -2039, "Client order ID is not correct for this order ID.");
            }

            throw new ApiException(400, -2013, "Order does not exist.");
        }

        return BinanceJson.Build(w => BinanceJson.OrderStatus(w, _symbol, order.Snapshot()));
    }

    private byte[] Account(ApiParams p)
    {
        var omitZero = p.Bool("omitZeroBalances") ?? false;
        return BinanceJson.Build(w => BinanceJson.Account(w, _engine.MakerRate, _engine.TakerRate, _engine.UpdateTime,
            _engine.Balances.Where(b => !omitZero || b.Free != 0 || b.Locked != 0)));
    }

    /// <summary>openOrders.status / GET /api/v3/openOrders (symbol optional: one symbol here).</summary>
    private byte[] OpenOrders(ApiParams p)
    {
        if (p.Get("symbol") is not null)
        {
            CheckSymbol(p);
        }

        return OrderList(_engine.OpenOrders);
    }

    /// <summary>
    /// allOrders / GET /api/v3/allOrders: with orderId the orders with id ≥ it, oldest first; otherwise the most recent
    /// ones; startTime/endTime (order time) narrow it and may not span more than 24 hours.
    /// </summary>
    private byte[] AllOrders(ApiParams p)
    {
        CheckSymbol(p);
        var orderId = p.Long("orderId");
        var start = p.Long("startTime");
        var end = p.Long("endTime");
        var limit = Limit(p);
        CheckSpan(start, end);
        var orders = _engine.AllOrders.Where(o => (orderId is null || o.OrderId >= orderId)
            && o.Time >= (start ?? long.MinValue) && o.Time <= (end ?? long.MaxValue)).ToList();
        orders = orderId is null && start is null && orders.Count > limit ? orders[^limit..] : [.. orders.Take(limit)];
        return OrderList(orders);
    }

    private byte[] OrderList(IEnumerable<Matching.SimOrder> orders) => BinanceJson.Build(w =>
    {
        w.WriteStartArray();
        foreach (var o in orders)
        {
            BinanceJson.OrderStatus(w, _symbol, o.Snapshot());
        }

        w.WriteEndArray();
    });

    private static int Limit(ApiParams p)
    {
        var limit = p.Long("limit") ?? 500;
        return limit is < 1 or > 1000 ? throw ApiException.Invalid("limit") : (int)limit;
    }

    private static void CheckSpan(long? start, long? end)
    {
        if (start is { } s && end is { } e && (e < s || e - s > 86_400_000))
        {
            throw new ApiException(400, -1127, "More than 24 hours between startTime and endTime.");
        }
    }

    private byte[] Subscriptions(SimConnection? origin) => BinanceJson.Build(w =>
    {
        w.WriteStartArray();
        if (origin?.UserDataSubscriptionId is { } id)
        {
            w.WriteStartObject();
            w.WriteNumber("subscriptionId", id);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    private byte[] MyTrades(ApiParams p)
    {
        CheckSymbol(p);
        var orderId = p.Long("orderId");
        var from = p.Long("startTime") ?? long.MinValue;
        var to = p.Long("endTime") ?? long.MaxValue;
        var fromId = p.Long("fromId");
        var limit = Limit(p);
        // The documented combinations: symbol [+ orderId [+ fromId]], symbol + fromId, symbol + startTime and/or endTime.
        var hasTime = p.Has("startTime") || p.Has("endTime");
        if (hasTime && (orderId is not null || fromId is not null))
        {
            throw new ApiException(400, -1128, "Combination of optional parameters invalid.");
        }

        CheckSpan(p.Long("startTime"), p.Long("endTime"));

        var trades = _engine.Trades.Where(t => (orderId is null || t.OrderId == orderId) && t.Fill.Time >= from && t.Fill.Time <= to
            && (fromId is null || t.Fill.TradeId >= fromId)).ToList();
        trades = fromId is null && p.Get("startTime") is null && trades.Count > limit ? trades[^limit..] : trades.Take(limit).ToList();
        return BinanceJson.Build(w =>
        {
            w.WriteStartArray();
            foreach (var (f, _) in trades)
            {
                BinanceJson.MyTrade(w, _symbol, f);
            }

            w.WriteEndArray();
        });
    }

    private byte[] BookTicker(ApiParams p)
    {
        var single = p.Get("symbol") is not null;
        if (single)
        {
            CheckSymbol(p);
        }

        return BinanceJson.Build(w => BinanceJson.BookTickerRest(w, _symbol, _engine.Bid, _market.LastQuantity, _engine.Ask, _market.LastQuantity, array: !single));
    }

    /// <summary>depth / GET /api/v3/depth: the synthetic book (at most <see cref="SyntheticBook.Levels"/> a side).</summary>
    private byte[] Depth(ApiParams p)
    {
        CheckSymbol(p);
        var limit = p.Long("limit") ?? 100;
        if (limit is < 1 or > 5000)
        {
            throw ApiException.Invalid("limit");
        }

        return BinanceJson.Build(w => BinanceJson.Depth(w, _bookUpdateId, _book, (int)limit));
    }

    private static int DepthWeight(ApiParams p) => (p.Long("limit") ?? 100) switch
    {
        <= 100 => 5,
        <= 500 => 25,
        <= 1000 => 50,
        _ => 250,
    };

    /// <summary>ticker.24hr / GET /api/v3/ticker/24hr: one object for a symbol, an array without one.</summary>
    private byte[] Ticker24(ApiParams p)
    {
        var single = p.Get("symbol") is not null;
        if (single)
        {
            CheckSymbol(p);
        }

        var stats = _ticker.Stats(_market.Now);
        var bidQty = _book.Bids.Count > 0 ? _book.Bids[0].Quantity : 0;
        var askQty = _book.Asks.Count > 0 ? _book.Asks[0].Quantity : 0;
        return BinanceJson.Build(w =>
        {
            if (!single)
            {
                w.WriteStartArray();
            }

            BinanceJson.TickerRest(w, _symbol, stats, _engine.Bid, bidQty, _engine.Ask, askQty);
            if (!single)
            {
                w.WriteEndArray();
            }
        });
    }

    /// <summary>ticker.price / GET /api/v3/ticker/price.</summary>
    private byte[] TickerPrice(ApiParams p)
    {
        var single = p.Get("symbol") is not null;
        if (single)
        {
            CheckSymbol(p);
        }

        return BinanceJson.Build(w =>
        {
            if (!single)
            {
                w.WriteStartArray();
            }

            w.WriteStartObject();
            w.WriteString("symbol", _symbol);
            w.WriteString("price", BinanceJson.D(_market.LastPrice));
            w.WriteEndObject();
            if (!single)
            {
                w.WriteEndArray();
            }
        });
    }

    private byte[] Klines(ApiParams p)
    {
        CheckSymbol(p);
        var interval = p.Required("interval");
        var ms = _klines.IntervalMs(interval) ?? throw new ApiException(400, -1120,
            IntraCandlePath.Intervals.Any(i => i.Label == interval)
                ? $"Invalid interval. The data interval is {_klines.Labels.First()}; served: {string.Join(", ", _klines.Labels)}."
                : "Invalid interval.");
        var limit = Limit(p);
        var start = p.Long("startTime");
        var klines = _market.Aggregated(ms, start ?? long.MinValue, p.Long("endTime") ?? long.MaxValue, limit, fromStart: start is not null);
        return BinanceJson.Build(w =>
        {
            w.WriteStartArray();
            foreach (var k in klines)
            {
                BinanceJson.KlineArray(w, k);
            }

            w.WriteEndArray();
        });
    }

    /// <summary>exchangeInfo: REST lists REQUEST_WEIGHT, ORDERS and RAW_REQUESTS; the WebSocket API lists REQUEST_WEIGHT,
    /// ORDERS and CONNECTIONS, as Binance's two documents show.</summary>
    private byte[] ExchangeInfo(ApiParams p, bool rest)
    {
        if (p.Get("symbol") is { } s && s != _symbol)
        {
            throw ApiException.BadSymbol();
        }

        if (p.Get("symbols") is { } list)
        {
            string[]? names;
            try
            {
                names = JsonSerializer.Deserialize<string[]>(list);
            }
            catch (JsonException)
            {
                throw ApiException.Invalid("symbols");
            }

            if (names is null || names.Any(n => n != _symbol))
            {
                throw ApiException.BadSymbol();
            }
        }

        RateLimit[] limits = rest ? [_weight, _orders10S, _ordersDay, _rawRequests] : [_weight, _orders10S, _ordersDay, _connectionsLimit];
        return BinanceJson.Build(w => BinanceJson.ExchangeInfo(w, WallNow, limits, _options.Instrument));
    }

    private byte[] Subscribe(SimConnection? origin)
    {
        if (origin is null)
        {
            throw new ApiException(400, -1020, "This operation is not supported.");
        }

        if (origin.UserDataSubscriptionId is not null)
        {
            throw new ApiException(400, -2035, "User Data Stream subscription already active.");
        }

        var id = origin.NextSubscriptionId++;
        origin.UserDataSubscriptionId = id;
        return BinanceJson.Build(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("subscriptionId", id);
            w.WriteEndObject();
        });
    }

    private byte[] Unsubscribe(ApiParams p, SimConnection? origin)
    {
        var requested = p.Long("subscriptionId");
        if (origin?.UserDataSubscriptionId is not { } active || (requested is not null && requested != active))
        {
            throw new ApiException(400, -2036, "User Data Stream subscription not active.");
        }

        origin.UserDataSubscriptionId = null;
        var now = _market.Now;
        origin.Send(BinanceJson.Build(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("subscriptionId", active);
            w.WriteStartObject("event");
            w.WriteString("e", "eventStreamTerminated");
            w.WriteNumber("E", now);
            w.WriteEndObject();
            w.WriteEndObject();
        }));
        return "{}"u8.ToArray();
    }
}
