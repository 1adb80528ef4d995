using System.IO.Compression;
using Trading.Core.Data;

namespace Quant.Sample;

/// <summary>
/// The candles of <c>data/BTCUSDT_1h_2024.csv</c>, embedded in quant.dll gzip-compressed at build time
/// (Sample/Sample.targets), so that <c>quant</c> installed as a tool works from any folder. They are read by the same
/// <see cref="CandleLoader"/> as any file, so they are validated the same way and equal the file's candles exactly.
/// </summary>
internal static class BuiltInSample
{
    /// <summary>How reports and messages name the sample (it is not a path).</summary>
    public const string Name = "built-in sample BTCUSDT 1h 2024";

    /// <summary>The one stderr line a command prints when it falls back to the sample.</summary>
    public const string Notice = "using the built-in sample BTCUSDT 1h 2024; pass --data to use your own";

    private const string Resource = "Quant.Sample.BTCUSDT_1h_2024.csv.gz";

    /// <summary>Loads the sample's candles within <paramref name="options"/> (all of them when null).</summary>
    public static CandleSeries Load(CandleLoadOptions? options) => CandleLoader.Load(Name, Open, options);

    /// <summary>A new decompressing stream over the resource; disposing it releases the resource stream too.</summary>
    public static Stream Open()
    {
        var compressed = typeof(BuiltInSample).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"quant.dll has no resource {Resource}; rebuild it");
        return new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: false);
    }
}
