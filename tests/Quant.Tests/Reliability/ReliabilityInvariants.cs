using System.Globalization;
using System.Text.Json;
using Trading.Live.Journal;
using Trading.Live.Orders;

namespace Quant.Tests.Reliability;

/// <summary>
/// The invariants a live run must keep whatever the venue did to it (faults) or the machine did to it (SIGKILL),
/// checked against the venue's truth once the run has stopped. Each failure names the order or asset it is about.
/// <list type="number">
/// <item>No client order id placed twice on the venue (every <c>placements</c> count is 1).</item>
/// <item>Every order on the venue was journalled first (its client order id is an intent in the journal).</item>
/// <item>Every intent in the journal is in a final state; an intent the venue has is in the venue's final state with
/// the venue's executed quantity (the fills journalled add up to it); an intent the venue never had is rejected.</item>
/// <item>The journal's fills are the venue's trades of those orders, each exactly once (by trade id), with the same
/// quantity and price.</item>
/// <item>No order left working on the venue and nothing locked; the run's final cash and position equal the venue's
/// free quote and total base; the journal's last snapshot says the same.</item>
/// <item>No 418: the venue answered no request and refused no connection with a ban.</item>
/// </list>
/// </summary>
internal static class ReliabilityInvariants
{
    public static void AssertAll(VenueTruth venue, JournalState journal, JsonElement summary, string baseAsset = "BTC", string quoteAsset = "USDT")
    {
        // 1. No client order id placed twice.
        var twice = venue.Placements.Where(p => p.Value != 1).Select(p => $"{p.Key}×{p.Value}").ToList();
        Assert.True(twice.Count == 0, $"client order ids placed more than once on the venue: {string.Join(", ", twice)}");

        // 2. Every venue order was journalled before it left.
        var intents = journal.Orders.ToDictionary(o => o.ClientOrderId, StringComparer.Ordinal);
        var unjournalled = venue.Placed.Where(p => !intents.ContainsKey(p.ClientOrderId)).Select(p => p.ClientOrderId).ToList();
        Assert.True(unjournalled.Count == 0, $"orders on the venue with no intent in the journal: {string.Join(", ", unjournalled)}");

        // 3. Every intent final, and the venue's state.
        var venueOrders = venue.Orders.ToDictionary(o => o.OrderId);
        var placedByCid = venue.Placed.ToDictionary(p => p.ClientOrderId, p => venueOrders[p.OrderId], StringComparer.Ordinal);
        var wrong = new List<string>();
        foreach (var o in journal.Orders)
        {
            if (!o.IsFinal)
            {
                wrong.Add($"{o.ClientOrderId}: journal {o.State} (filled {o.FilledQuantity}), not final (venue {(placedByCid.TryGetValue(o.ClientOrderId, out var v0) ? $"{v0.Status}, executed {v0.ExecutedQty}" : "never placed")})");
                continue;
            }

            if (placedByCid.TryGetValue(o.ClientOrderId, out var v))
            {
                if (State(v.Status) != o.State)
                {
                    wrong.Add($"{o.ClientOrderId}: journal {o.State}, venue {v.Status}");
                }
                else if (o.FilledQuantity != v.ExecutedQty)
                {
                    wrong.Add($"{o.ClientOrderId}: journal filled {o.FilledQuantity}, venue executed {v.ExecutedQty}");
                }
            }
            else if (o.State != LiveOrderState.Rejected)
            {
                wrong.Add($"{o.ClientOrderId}: journal {o.State}, but the venue never had it");
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} journal intents disagree with the venue:\n{string.Join('\n', wrong.Take(40))}");

        // 4. The journal's fills are the venue's trades, once each.
        var duplicates = journal.Fills.GroupBy(f => f.TradeId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"trades journalled twice: {string.Join(", ", duplicates)}");
        var trades = venue.Trades.ToDictionary(t => t.Id);
        var missing = venue.Trades.Where(t => journal.Fills.All(f => f.TradeId != t.Id)).Select(t => t.Id).ToList();
        Assert.True(missing.Count == 0, $"venue trades the journal lacks: {string.Join(", ", missing.Take(40))}");
        foreach (var f in journal.Fills)
        {
            Assert.True(trades.TryGetValue(f.TradeId, out var t), $"journal fill {f.TradeId} ({f.ClientOrderId}) is no venue trade");
            Assert.True(t.Qty == f.Quantity && t.Price == f.Price, $"fill {f.TradeId}: journal {f.Quantity} @ {f.Price}, venue {t.Qty} @ {t.Price}");
        }

        // 5. Nothing working, nothing locked; the run's cash and position are the venue's.
        var working = venue.Orders.Where(o => o.Status is "NEW" or "PARTIALLY_FILLED").Select(o => o.ClientOrderId).ToList();
        Assert.True(working.Count == 0, $"orders still working on the venue after the run: {string.Join(", ", working)}");
        var quote = venue.Balances.GetValueOrDefault(quoteAsset);
        var @base = venue.Balances.GetValueOrDefault(baseAsset);
        Assert.True(quote.Locked == 0 && @base.Locked == 0, $"locked on the venue: {quoteAsset} {quote.Locked}, {baseAsset} {@base.Locked}");
        Assert.Equal(quote.Free, summary.GetProperty("final_cash").GetDecimal());
        Assert.Equal(@base.Free + @base.Locked, summary.GetProperty("final_position").GetDecimal());
        var snapshot = journal.LastSnapshot ?? throw new Xunit.Sdk.XunitException("the journal holds no snapshot");
        Assert.True(snapshot.Quote == quote.Free && snapshot.Base == @base.Free + @base.Locked,
            $"journal's last snapshot {snapshot.Base} {baseAsset} / {snapshot.Quote} {quoteAsset}, venue {@base.Free + @base.Locked} / {quote.Free}");

        // 6. No 418.
        Assert.True(venue.Refused418 == 0, $"the venue answered 418 (banned) {venue.Refused418} times");
    }

    /// <summary>The journal state an order in the venue's final <paramref name="status"/> must be in.</summary>
    private static LiveOrderState? State(string status) => status switch
    {
        "FILLED" => LiveOrderState.Filled,
        "CANCELED" => LiveOrderState.Canceled,
        "EXPIRED" or "EXPIRED_IN_MATCH" => LiveOrderState.Expired,
        "REJECTED" => LiveOrderState.Rejected,
        _ => null,
    };

    public static string Describe(VenueTruth venue, JournalState journal) => string.Create(CultureInfo.InvariantCulture,
        $"orders placed on the venue {venue.Placed.Count} (order.place requests {venue.OrderPlaceRequests}), trades {venue.Trades.Count}, journal intents {journal.Orders.Count}, journal fills {journal.Fills.Count}, 429s {venue.Refused429}, 418s {venue.Refused418}");
}
