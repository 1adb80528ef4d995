namespace Trading.Core.Data;

/// <summary>The layouts <see cref="CandleFileReader"/> tells apart by the first record of each file.</summary>
internal enum CandleFileFormat
{
    /// <summary>Not known yet (nothing read), or the file has no records.</summary>
    Unknown,

    /// <summary>A header row naming the columns (<c>timestamp,open,high,low,close,volume</c>, in any order, extra columns ignored).</summary>
    HeaderCsv,

    /// <summary>Binance public-data klines: 12 columns, no header (open time, O, H, L, C, volume, close time, ...).</summary>
    BinanceKline,
}
