using System.Text.Json;
using Trading.Core.Orders;
using Trading.Live.Binance;
using Trading.Live.Journal;
using Trading.Live.Orders;

namespace Quant.Tests;

/// <summary><c>quant journal show|export</c> on a journal written by the real writer.</summary>
public sealed class JournalCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Two orders (one filled in two trades, one canceled) and a snapshot.</summary>
    private string WriteJournal()
    {
        var path = Path.Combine(_dir.Path, "live.db");
        var orders = new OrderManager(new ClientOrderIdCodec(42), "BTCUSDT", new NullListener());
        var buy = orders.Create(OrderRequest.Market(OrderSide.Buy, 0.5m, tag: "signal"), now: 1_704_067_200_000);
        var sell = orders.Create(OrderRequest.Limit(OrderSide.Sell, 0.5m, 45000.5m), now: 1_704_070_800_000);
        using var loop = new EventLoop.Loop();
        using var w = JournalWriter.Open(path, loop);
        Assert.True(w.TryAppend(JournalRecord.Intent(buy, 1_704_067_200_000), out _));
        Assert.True(w.TryAppend(JournalRecord.Fill(Trade(buy, 11, 0.2m, 42000m, VenueOrderStatus.PartiallyFilled), buy.VenueId), out _));
        Assert.True(w.TryAppend(JournalRecord.Fill(Trade(buy, 12, 0.3m, 42001m, VenueOrderStatus.Filled), buy.VenueId), out _));
        Assert.True(w.TryAppend(JournalRecord.Intent(sell, 1_704_070_800_000), out _));
        Assert.True(w.TryAppend(JournalRecord.StateOf(sell, LiveOrderState.Canceled, "stop", 1_704_074_400_000), out _));
        Assert.True(w.TryAppend(JournalRecord.Snapshot(0.5m, 8999.75m, 1_704_074_400_500), out _));
        return path;
    }

    private static ExecutionReport Trade(LiveOrder o, long trade, decimal qty, decimal price, VenueOrderStatus status) => new()
    {
        Sequence = o.Sequence, OrderId = 77, Side = o.Order.Side, ExecutionType = ExecutionType.Trade, Status = status,
        LastQuantity = qty, LastPrice = price, CumulativeQuantity = qty, TradeId = trade, Commission = 0.0002m,
        CommissionAsset = CommissionAsset.Base, TransactionTime = 1_704_067_200_100 + trade,
    };

    [Fact]
    public void Show_prints_orders_fills_and_snapshots()
    {
        var path = WriteJournal();
        var r = CliRunner.Run("journal", "show", "--journal", path);
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith($"journal {path}: 2 orders (0 not final), 2 fills, 1 snapshots; last known 2024-01-01T02:00:00.500Z", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("q00000016-1", r.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"q00000016-2 +│ sell +│ limit +│ +0\.5 +│ +45000\.5 +│ +0 +│ Canceled", r.Stdout);
        Assert.Matches(@"│ +12 +│ q00000016-1 +│ buy +│ +0\.3 +│ +42001 +│ +0\.0002 +│ base", r.Stdout);
        Assert.Contains("8999.75", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_json_is_one_object_with_exact_numbers()
    {
        var r = CliRunner.Run("journal", "show", "--journal", WriteJournal(), "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        Assert.Equal(12, root.GetProperty("last_trade_id").GetInt64());
        var buy = root.GetProperty("orders")[0];
        Assert.Equal(("filled", 0.5m, "signal"), (buy.GetProperty("state").GetString(), buy.GetProperty("filled").GetDecimal(), buy.GetProperty("tag").GetString()));
        Assert.Equal("canceled", root.GetProperty("orders")[1].GetProperty("state").GetString());
        Assert.Equal([11L, 12L], root.GetProperty("fills").EnumerateArray().Select(f => f.GetProperty("trade_id").GetInt64()));
        Assert.Equal(8999.75m, root.GetProperty("snapshots")[0].GetProperty("quote").GetDecimal());
    }

    [Fact]
    public void Export_writes_csv_files_or_one_json_file()
    {
        var path = WriteJournal();
        var csv = Path.Combine(_dir.Path, "csv");
        var r = CliRunner.Run("journal", "export", "--journal", path, "--out", csv);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(["trade_id,client_order_id,time,side,quantity,price,commission,commission_asset,maker,venue_order_id",
            "11,q00000016-1,1704067200111,buy,0.2,42000,0.0002,base,false,77",
            "12,q00000016-1,1704067200112,buy,0.3,42001,0.0002,base,false,77"], File.ReadAllLines(Path.Combine(csv, "fills.csv")));
        var orders = File.ReadAllLines(Path.Combine(csv, "orders.csv"));
        Assert.Equal(3, orders.Length);
        Assert.StartsWith("q00000016-2,1704070800000,sell,limit,gtc,0.5,0,45000.5,0,canceled,0,", orders[2], StringComparison.Ordinal);
        Assert.Equal(["time,base,quote", "1704074400500,0.5,8999.75"], File.ReadAllLines(Path.Combine(csv, "snapshots.csv")));

        var json = Path.Combine(_dir.Path, "json");
        r = CliRunner.Run("journal", "export", "--journal", path, "--out", json, "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Path.Combine(json, "journal.json"), r.Stdout.Trim());
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(json, "journal.json")));
        Assert.Equal(2, doc.RootElement.GetProperty("orders").GetArrayLength());
    }

    [Fact]
    public void Show_reads_a_journal_while_a_live_run_holds_it()
    {
        var path = WriteJournal();
        using var loop = new EventLoop.Loop();
        using var live = JournalWriter.Open(path, loop); // the lock is held, as by a running `quant live`
        Assert.True(live.TryAppend(JournalRecord.Snapshot(0.5m, 9000m, 1_704_078_000_000), out _));
        loop.Run(EventLoop.RunMode.UntilDone);
        var r = CliRunner.Run("journal", "show", "--journal", path);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("2 snapshots; last known 2024-01-01T03:00:00Z", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_journal_is_a_usage_error_naming_the_flag()
    {
        var missing = Path.Combine(_dir.Path, "nope.db");
        CliRunner.Run("journal", "show", "--journal", missing).AssertUsageError($"--journal {missing}: no such journal");
        CliRunner.Run("journal", "export", "--journal", missing, "--out", _dir.Path).AssertUsageError("--journal");
        CliRunner.Run("journal", "show").AssertUsageError("--journal");
    }

    [Fact]
    public void A_file_that_is_not_a_journal_fails_with_one_line()
    {
        var text = _dir.Write("candles.csv", "timestamp,open,high,low,close,volume", "1,2,3,1,2,10");
        CliRunner.Run("journal", "show", "--journal", text).AssertOneLineError(1, $"{text}: not a quant journal");
    }

    private sealed class NullListener : IOrderListener
    {
        public void OnAccepted(LiveOrder order)
        {
        }

        public void OnFill(LiveOrder order, in Fill fill, CommissionAsset asset, decimal commission)
        {
        }

        public void OnClosed(LiveOrder order, OrderEventKind kind, string? reason)
        {
        }
    }
}
