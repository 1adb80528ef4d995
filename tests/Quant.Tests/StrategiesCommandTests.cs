using System.Text.Json;

namespace Quant.Tests;

public sealed class StrategiesCommandTests
{
    [Fact]
    public void Json_is_one_object_listing_every_built_in_strategy_with_its_parameters()
    {
        var r = CliRunner.Run("strategies", "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(string.Empty, r.Stderr);

        using var doc = JsonDocument.Parse(r.Stdout);
        var strategies = doc.RootElement.GetProperty("strategies").EnumerateArray().ToArray();
        var names = strategies.Select(s => s.GetProperty("name").GetString()).ToArray();
        Assert.Equal(Trading.Core.Strategies.BuiltInStrategies.All.Select(s => s.Name), names);

        var sma = strategies.Single(s => s.GetProperty("name").GetString() == "sma-cross");
        Assert.Equal([30, 14, 19], strategies.Select(s => s.GetProperty("warmup_candles").GetInt32())); // slow, period, period − 1
        var fast = sma.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "fast");
        Assert.Equal("integer", fast.GetProperty("kind").GetString());
        Assert.Equal(10, fast.GetProperty("default").GetDouble());
        Assert.Equal(2, fast.GetProperty("min").GetDouble());
        Assert.Equal(200, fast.GetProperty("max").GetDouble());
        Assert.Equal(1, fast.GetProperty("step").GetDouble());
        Assert.False(string.IsNullOrWhiteSpace(fast.GetProperty("description").GetString()));

        var size = sma.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "size");
        Assert.Equal("real", size.GetProperty("kind").GetString());
        Assert.Equal(1.0, size.GetProperty("default").GetDouble());
    }

    [Fact]
    public void Table_lists_strategies_and_parameter_ranges_in_plain_text()
    {
        var r = CliRunner.Run("strategies");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("sma-cross", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("warm-up at the defaults: 30 candles", r.Stdout, StringComparison.Ordinal);

        // The row of `slow`: name, kind, default 30, min 3, max 500, step 1, in that order.
        var row = r.Stdout.Split('\n').Single(l => l.StartsWith("│ slow ", StringComparison.Ordinal));
        var cells = row.Split('│', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["slow", "integer", "30", "3", "500", "1"], cells[..6]);
    }
}
