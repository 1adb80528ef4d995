namespace Quant.Download;

/// <summary>What one <c>quant data download</c> asks for.</summary>
internal sealed record KlineDownload
{
    public required Uri RestUrl { get; init; }

    public required string Symbol { get; init; }

    /// <summary>Binance's interval label (<c>1m</c>, <c>1h</c>, …); <see cref="IntervalMs"/> is its length.</summary>
    public required string Interval { get; init; }

    public required long IntervalMs { get; init; }

    /// <summary>First open time wanted (ms, UTC, inclusive).</summary>
    public required long From { get; init; }

    /// <summary>Open times before this (ms, UTC, exclusive); null: up to the last closed candle.</summary>
    public long? To { get; init; }

    /// <summary>The CSV written (header <c>timestamp,open,high,low,close,volume</c>); appended to when it has candles.</summary>
    public required string OutPath { get; init; }
}
