using System.Globalization;
using System.Text.Json;

namespace Quant.Tests.Reliability;

/// <summary>
/// The simulator's own view after a run (<c>GET /sim/truth</c> or <c>SimServer.Truth()</c>), parsed: what the
/// reliability invariants compare a live run's journal and result with. Never touched by faults.
/// </summary>
internal sealed record VenueTruth(
    IReadOnlyList<VenueTruth.Order> Orders,
    IReadOnlyList<VenueTruth.Trade> Trades,
    IReadOnlyDictionary<string, (decimal Free, decimal Locked)> Balances,
    IReadOnlyList<(long OrderId, string ClientOrderId)> Placed,
    IReadOnlyDictionary<string, int> Placements,
    long OrderPlaceRequests,
    long Refused429,
    long Refused418,
    IReadOnlyDictionary<string, long> Faults,
    bool Finished)
{
    internal sealed record Order(long OrderId, string ClientOrderId, string Status, decimal ExecutedQty);

    internal sealed record Trade(long Id, long OrderId, decimal Qty, decimal Price);

    public long TotalFaults => Faults.Values.Sum();

    public static VenueTruth Parse(string json) => Parse(JsonDocument.Parse(json).RootElement);

    public static VenueTruth Parse(JsonElement t)
    {
        var faults = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var p in t.GetProperty("faults").EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var s in p.Value.EnumerateObject())
                {
                    faults[s.Name] = s.Value.GetInt64();
                }
            }
            else
            {
                faults[p.Name] = p.Value.GetInt64();
            }
        }

        var requests = t.GetProperty("requests");
        return new VenueTruth(
            [.. t.GetProperty("orders").EnumerateArray().Select(o => new Order(o.GetProperty("orderId").GetInt64(), o.GetProperty("clientOrderId").GetString()!,
                o.GetProperty("status").GetString()!, Dec(o.GetProperty("executedQty"))))],
            [.. t.GetProperty("trades").EnumerateArray().Select(f => new Trade(f.GetProperty("id").GetInt64(), f.GetProperty("orderId").GetInt64(),
                Dec(f.GetProperty("qty")), Dec(f.GetProperty("price"))))],
            t.GetProperty("balances").EnumerateArray().ToDictionary(b => b.GetProperty("asset").GetString()!, b => (Dec(b.GetProperty("free")), Dec(b.GetProperty("locked")))),
            [.. t.GetProperty("placed").EnumerateArray().Select(p => (p.GetProperty("orderId").GetInt64(), p.GetProperty("clientOrderId").GetString()!))],
            t.GetProperty("placements").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32()),
            requests.GetProperty("order_place").GetInt64(),
            requests.GetProperty("refused_429").GetInt64(),
            requests.GetProperty("refused_418").GetInt64(),
            faults,
            t.GetProperty("finished").GetBoolean());
    }

    /// <summary>One line per fault kind with its count, for the test output (and the lead's note).</summary>
    public string FaultTable() => string.Join('\n', Faults.Select(f => $"  {f.Key,-16} {f.Value,8}")) + $"\n  {"total",-16} {TotalFaults,8}";

    private static decimal Dec(JsonElement e) => decimal.Parse(e.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);
}
