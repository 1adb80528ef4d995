using System.Text.Json;
using EventLoop;
using Trading.Live.Journal;

namespace Quant.Tests;

/// <summary><c>quant live</c> writes its journal: what <c>quant journal show</c> reads back, the temporary default, the lock.</summary>
public sealed class LiveJournalTests
{
    private static readonly string[] TwoWeeks =
        ["live", "--from", "2024-03-01", "--to", "2024-03-15", "--sim-speed", "360000", "--param", "fast=5,slow=12", "--duration", "10m"];

    private static readonly string[] Terminal = ["filled", "canceled", "rejected", "expired"];

    [Fact]
    public void A_live_run_journals_every_order_it_placed_with_its_fills_and_a_terminal_state()
    {
        using var dir = new TempFolder();
        var journal = Path.Combine(dir.Path, "live.db");
        var r = CliRunner.Run([.. TwoWeeks, "--journal", journal, "--out", dir.Path]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains($"journal {journal}", r.Stderr, StringComparison.Ordinal);

        var show = CliRunner.Run("journal", "show", "--journal", journal, "--json");
        Assert.True(show.ExitCode == 0, show.Stderr);
        using var doc = JsonDocument.Parse(show.Stdout);
        var orders = doc.RootElement.GetProperty("orders").EnumerateArray().ToList();
        var fills = doc.RootElement.GetProperty("fills").EnumerateArray().ToList();
        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "summary.json"))).RootElement;

        Assert.NotEmpty(orders);
        Assert.All(orders, o => Assert.Contains(o.GetProperty("state").GetString(), Terminal));
        var sent = orders.Where(o => o.GetProperty("sent_request_id").GetInt64() != 0).ToList();
        Assert.Equal(summary.GetProperty("orders_sent").GetInt32(), sent.Count);
        // An intent that never left: the stop canceled it while it still waited for the disk (a loaded machine's fsync
        // can be slower than a candle) — it ends rejected, never placed. Nothing else may stay unsent.
        Assert.All(orders.Except(sent), o => Assert.Equal(("rejected", "canceled before it was sent (its intent was not yet on disk)"),
            (o.GetProperty("state").GetString(), o.GetProperty("reason").GetString())));

        // Every fill of the run, by trade id, each on one of the journalled orders, adding up to what the orders say.
        var runTrades = File.ReadAllLines(Path.Combine(dir.Path, "fills.csv")).Skip(1).Select(l => long.Parse(l.Split(',')[8], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(runTrades.Order(), fills.Select(f => f.GetProperty("trade_id").GetInt64()).Order());
        foreach (var o in orders)
        {
            var id = o.GetProperty("client_order_id").GetString();
            var filled = fills.Where(f => f.GetProperty("client_order_id").GetString() == id).Sum(f => f.GetProperty("quantity").GetDecimal());
            Assert.Equal(o.GetProperty("filled").GetDecimal(), filled);
            if (o.GetProperty("state").GetString() == "filled")
            {
                // A quote-sized market order has no base quantity to compare with; a sized one fills it exactly.
                var quantity = o.GetProperty("quantity").GetDecimal();
                Assert.True(filled > 0 && (quantity == 0 || filled == quantity), $"{id}: filled {filled} of {quantity}");
            }
        }

        Assert.Equal(summary.GetProperty("final_cash").GetDecimal(), doc.RootElement.GetProperty("snapshots").EnumerateArray().Last().GetProperty("quote").GetDecimal());
    }

    [Fact]
    public void Without_journal_a_simulator_run_uses_a_temporary_journal_and_deletes_it()
    {
        var r = CliRunner.Run(TwoWeeks);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var marker = "journal " + Path.Combine(Path.GetTempPath(), "quant-live-");
        var line = Assert.Single(r.ErrorLines, l => l.Contains(marker, StringComparison.Ordinal));
        var path = line[(line.IndexOf(marker, StringComparison.Ordinal) + 8)..].Trim();
        Assert.EndsWith(".db", path, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".lock"));
    }

    [Fact]
    public void A_second_live_run_on_a_journal_in_use_is_refused_with_one_line()
    {
        using var dir = new TempFolder();
        var journal = Path.Combine(dir.Path, "live.db");
        using var loop = new Loop();
        using (JournalWriter.Open(journal, loop))
        {
            var r = CliRunner.Run([.. TwoWeeks, "--journal", journal]);
            Assert.Equal(1, r.ExitCode);
            var error = Assert.Single(r.ErrorLines, l => l.StartsWith("quant: ", StringComparison.Ordinal));
            Assert.Contains("--journal: journal ", error, StringComparison.Ordinal);
            Assert.Contains("is in use by another quant process", error, StringComparison.Ordinal);
            Assert.DoesNotContain("market streams connected", r.Stderr, StringComparison.Ordinal);
        }

        // The holder's journal is intact and was not written by the refused run.
        Assert.Empty(JournalReader.Load(journal).Orders);
    }
}
