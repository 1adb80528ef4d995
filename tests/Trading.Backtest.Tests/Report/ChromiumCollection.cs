namespace Trading.Backtest.Tests.Report;

/// <summary>The browser tests share one Chromium and run one after another (the machine is small and shared).</summary>
[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<Chromium>
{
    public const string Name = "chromium";
}
