using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;

namespace Trading.Backtest.Tests.Report;

/// <summary>A report opened in Chromium, with what went wrong while it loaded.</summary>
public sealed class ReportPage(IBrowserContext context) : IAsyncDisposable
{
    public IPage Page { get; set; } = null!;

    /// <summary>Console errors and uncaught exceptions, in arrival order.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>Network requests the page attempted (all aborted).</summary>
    public ConcurrentBag<string> Blocked { get; } = [];

    /// <summary>Waits for the page's own signal (window.__quantReport.drawn or .error), never for a fixed time.</summary>
    public async Task<JsonElement> WaitDrawnAsync()
    {
        await Page.WaitForFunctionAsync(
            "() => window.__quantReport && (window.__quantReport.drawn || window.__quantReport.error)",
            null,
            new PageWaitForFunctionOptions { Timeout = 30_000 });
        var state = await Page.EvaluateAsync<JsonElement>("() => window.__quantReport");
        Assert.True(state.GetProperty("error").ValueKind == JsonValueKind.Null, "report script failed: " + state.GetProperty("error"));
        return state;
    }

    /// <summary>
    /// For each element with data-chart: how many canvases it holds, how many distinct colours they paint (sampled
    /// from every pixel), and how many pixels lie within a small distance of each colour in <paramref name="probes"/>.
    /// </summary>
    public Task<JsonElement> CanvasStatsAsync(params string[] probes) => Page.EvaluateAsync<JsonElement>(
        """
        (probes) => {
          const hex = h => [1, 3, 5].map(i => parseInt(h.slice(i, i + 2), 16));
          const targets = probes.map(hex);
          const out = {};
          for (const box of document.querySelectorAll('[data-chart]')) {
            const canvases = box.tagName === 'CANVAS' ? [box] : Array.from(box.querySelectorAll('canvas'));
            const colours = new Set();
            const hits = probes.map(() => 0);
            for (const c of canvases) {
              if (c.width === 0 || c.height === 0) continue;
              const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              for (let i = 0; i < px.length; i += 4) {
                if (px[i + 3] === 0) continue;
                colours.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
                for (let k = 0; k < targets.length; k++) {
                  const t = targets[k];
                  if (Math.abs(px[i] - t[0]) + Math.abs(px[i + 1] - t[1]) + Math.abs(px[i + 2] - t[2]) <= 12) hits[k]++;
                }
              }
            }
            out[box.dataset.chart] = { canvases: canvases.length, colours: colours.size, hits };
          }
          return out;
        }
        """,
        probes);

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
