using Microsoft.Playwright;

namespace Trading.Backtest.Tests.Report;

/// <summary>
/// One headless Chromium for the report tests: the Debian package's binary (/usr/bin/chromium, installed by
/// .ci/setup), driven by Playwright for .NET. Playwright's own browser download is never used, so no
/// <c>playwright install</c>. QUANT_CHROMIUM overrides the path.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("QUANT_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} not found: run .ci/setup (it installs the Debian package chromium) or set QUANT_CHROMIUM");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>
    /// Opens <paramref name="file"/> via file:// in a fresh context with every http(s) request aborted (and counted),
    /// collecting console errors and uncaught exceptions.
    /// </summary>
    public async Task<ReportPage> OpenAsync(string file)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            DeviceScaleFactor = 1,
            ServiceWorkers = ServiceWorkerPolicy.Block,
        });
        var session = new ReportPage(context);
        await context.RouteAsync("**/*", async route =>
        {
            var url = route.Request.Url;
            if (url.StartsWith("http:", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https:", StringComparison.OrdinalIgnoreCase)
                || url.StartsWith("ws", StringComparison.OrdinalIgnoreCase))
            {
                session.Blocked.Add(url);
                await route.AbortAsync();
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        var page = await context.NewPageAsync();
        page.Console += (_, msg) =>
        {
            if (msg.Type == "error")
            {
                session.Errors.Enqueue("console: " + msg.Text);
            }
        };
        page.PageError += (_, error) => session.Errors.Enqueue("page: " + error);
        session.Page = page;
        await page.GotoAsync(new Uri(file).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        return session;
    }
}
