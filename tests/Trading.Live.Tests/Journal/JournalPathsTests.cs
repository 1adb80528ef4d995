using Trading.Live.Journal;

namespace Trading.Live.Tests.Journal;

public sealed class JournalPathsTests
{
    [Fact]
    public void One_journal_per_venue_account_and_symbol_without_the_key_in_the_name()
    {
        const string key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
        var path = JournalPaths.Default("binance", key, "btcusdt", "/data");
        Assert.Equal(Path.Combine("/data", "quant", "journals", $"binance-{JournalPaths.AccountTag(key)}-BTCUSDT.db"), path);
        Assert.DoesNotContain(key, path, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{12}$", JournalPaths.AccountTag(key));
        Assert.NotEqual(JournalPaths.AccountTag(key), JournalPaths.AccountTag(key + "x"));
        Assert.Equal(Path.Combine("/data", "quant", "journals", "sim-paper-ETH_USDT.db"), JournalPaths.Default("sim", null, "ETH/USDT", "/data"));
    }
}
