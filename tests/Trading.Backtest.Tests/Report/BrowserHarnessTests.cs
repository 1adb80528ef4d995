namespace Trading.Backtest.Tests.Report;

/// <summary>
/// The browser checks themselves can fail: a page that logs an error, throws, or reaches for the network is caught
/// by the same harness the report tests use, and a canvas painted one colour counts as blank.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class BrowserHarnessTests(Chromium chromium)
{
    [Fact]
    public async Task Console_errors_uncaught_exceptions_network_and_blank_canvases_are_caught()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "report-artifacts", "harness.html");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, """
            <!DOCTYPE html><html><body>
            <canvas data-chart="blank" width="40" height="20"></canvas>
            <img src="https://example.invalid/pixel.png">
            <script>
              const c = document.querySelector('canvas').getContext('2d');
              c.fillStyle = '#123456'; c.fillRect(0, 0, 40, 20);
              console.error('deliberate');
              window.__quantReport = { drawn: true, error: null };
            </script>
            <script>throw new Error('boom');</script>
            </body></html>
            """);

        await using var session = await chromium.OpenAsync(path);
        await session.WaitDrawnAsync();
        var stats = await session.CanvasStatsAsync("#123456");
        Assert.Equal(1, stats.GetProperty("blank").GetProperty("colours").GetInt32());
        Assert.Equal(800, stats.GetProperty("blank").GetProperty("hits")[0].GetInt32());
        Assert.Contains(session.Errors, e => e.Contains("deliberate", StringComparison.Ordinal));
        Assert.Contains(session.Errors, e => e.Contains("boom", StringComparison.Ordinal));
        Assert.Contains(session.Blocked, u => u.StartsWith("https://example.invalid", StringComparison.Ordinal));
    }
}
