using System.Diagnostics;
using System.Globalization;
using System.Text;
using Quant.Bench.Infrastructure;
using Trading.Core.Data;
using Trading.Core.Market;

namespace Quant.Bench.Data;

/// <summary>
/// <c>csv-load [rows]</c>: generates a large candle file (default 2,000,000 rows) in each layout, the header CSV and
/// Binance's 12-column klines, in a temporary folder, and measures rows/s for <see cref="CandleLoader.Load"/> (CsvHelper,
/// full validation, gap statistics) against an in-process baseline that does the same parsing with no validation:
/// <c>File.ReadLines</c> + <c>string.Split</c> + <c>long/double.Parse</c> into a <c>List&lt;Candle&gt;</c>. Both results
/// are compared candle by candle, so neither side can skip work. Each figure is the best of 3 runs after a warm-up
/// run. It also times loading the real data in data/ (8,784 rows): the first call in the process (JIT included) and warm.
/// </summary>
internal sealed class CsvLoadBench : IBench
{
    private const int Runs = 3;
    private const long Start = 1_704_067_200_000; // 2024-01-01T00:00:00Z
    private const long Minute = 60_000;

    public string Name => "csv-load";

    public string Description => "rows/s of CandleLoader on generated header-CSV and Binance files vs File.ReadLines+Split+Parse";

    public int Run(string[] args)
    {
        int rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000_000;
        var real = RealData();

        string dir = Path.Combine(Path.GetTempPath(), "quant-csv-load-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        try
        {
            string header = Path.Combine(dir, "header.csv");
            string binance = Path.Combine(dir, "BTCUSDT-1m.csv");
            var sw = Stopwatch.StartNew();
            Generate(header, rows, binance: false);
            Generate(binance, rows, binance: true);
            Console.WriteLine($"generated {rows:N0} rows per layout in {sw.Elapsed.TotalSeconds:F1} s: header CSV {new FileInfo(header).Length / 1e6:F0} MB, Binance {new FileInfo(binance).Length / 1e6:F0} MB");

            double loaderHeader = Measure("CandleLoader, header CSV", rows, () => CandleLoader.Load(header).Candles);
            double naiveHeader = Measure("baseline, header CSV", rows, () => Naive(header, binance: false));
            double loaderBinance = Measure("CandleLoader, Binance", rows, () => CandleLoader.Load(binance).Candles);
            double naiveBinance = Measure("baseline, Binance", rows, () => Naive(binance, binance: true));

            Check(CandleLoader.Load(header).Candles, Naive(header, binance: false), "header CSV");
            Check(CandleLoader.Load(binance).Candles, Naive(binance, binance: true), "Binance");

            Console.WriteLine($"header CSV: CandleLoader {loaderHeader / 1e6:F2} M rows/s, baseline {naiveHeader / 1e6:F2} M rows/s ({loaderHeader / naiveHeader:F2}x)");
            Console.WriteLine($"Binance:    CandleLoader {loaderBinance / 1e6:F2} M rows/s, baseline {naiveBinance / 1e6:F2} M rows/s ({loaderBinance / naiveBinance:F2}x)");
            if (real is { } r)
            {
                Console.WriteLine($"real data (8,784 rows): first load in process {r.ColdMs:F1} ms (JIT included), warm header CSV {r.CsvMs:F2} ms, warm 12 zips {r.ZipMs:F2} ms");
            }

            var extra = new List<KeyValuePair<string, object?>>
            {
                new("rows", rows),
                new("binance_rows_per_s", loaderBinance),
                new("binance_baseline_rows_per_s", naiveBinance),
                new("binance_ratio", loaderBinance / naiveBinance),
            };
            if (real is { } rr)
            {
                extra.Add(new("real_csv_cold_ms", rr.ColdMs));
                extra.Add(new("real_csv_warm_ms", rr.CsvMs));
                extra.Add(new("real_zips_warm_ms", rr.ZipMs));
            }

            BenchReport.Print(Name, loaderHeader, "rows/s", naiveHeader, extra);
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double Measure(string label, int rows, Func<IReadOnlyList<Candle>> load)
    {
        if (load().Count != rows) // warm-up, and a check that every row was read
        {
            throw new InvalidOperationException($"{label}: wrong row count");
        }

        double best = double.MaxValue;
        for (int i = 0; i < Runs; i++)
        {
            GC.Collect();
            var sw = Stopwatch.StartNew();
            int n = load().Count;
            double s = sw.Elapsed.TotalSeconds;
            if (n != rows)
            {
                throw new InvalidOperationException($"{label}: wrong row count");
            }

            best = Math.Min(best, s);
        }

        Console.WriteLine($"{label,-26} best of {Runs}: {best * 1000,8:F0} ms  {rows / best / 1e6,6:F2} M rows/s");
        return rows / best;
    }

    /// <summary>The baseline: the obvious loop, same parsing (invariant culture), no validation, no statistics.</summary>
    private static List<Candle> Naive(string path, bool binance)
    {
        var list = new List<Candle>();
        foreach (string line in File.ReadLines(path).Skip(binance ? 0 : 1))
        {
            string[] f = line.Split(',');
            list.Add(new Candle(
                long.Parse(f[0], CultureInfo.InvariantCulture),
                double.Parse(f[1], CultureInfo.InvariantCulture),
                double.Parse(f[2], CultureInfo.InvariantCulture),
                double.Parse(f[3], CultureInfo.InvariantCulture),
                double.Parse(f[4], CultureInfo.InvariantCulture),
                double.Parse(f[5], CultureInfo.InvariantCulture)));
        }

        return list;
    }

    private static void Check(Candle[] loaded, List<Candle> naive, string label)
    {
        if (loaded.Length != naive.Count || !loaded.AsSpan().SequenceEqual(naive.ToArray()))
        {
            throw new InvalidOperationException($"{label}: CandleLoader and the baseline disagree");
        }
    }

    /// <summary>A random walk of 1-minute candles with 8 decimals, as Binance writes them; seeded, so every run reads the same file.</summary>
    private static void Generate(string path, int rows, bool binance)
    {
        var rng = new Random(42);
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        if (!binance)
        {
            w.Write("timestamp,open,high,low,close,volume\n");
        }

        double price = 42_000;
        var inv = CultureInfo.InvariantCulture;
        for (int i = 0; i < rows; i++)
        {
            long t = Start + (i * Minute);
            double open = Math.Round(price, 2);
            double close = Math.Round(open * (1 + ((rng.NextDouble() - 0.5) * 0.004)), 2);
            double high = Math.Round(Math.Max(open, close) * (1 + (rng.NextDouble() * 0.002)), 2);
            double low = Math.Round(Math.Min(open, close) * (1 - (rng.NextDouble() * 0.002)), 2);
            double volume = Math.Round(rng.NextDouble() * 100, 5);
            price = close;
            w.Write(t.ToString(inv));
            w.Write(',');
            w.Write(open.ToString("F8", inv));
            w.Write(',');
            w.Write(high.ToString("F8", inv));
            w.Write(',');
            w.Write(low.ToString("F8", inv));
            w.Write(',');
            w.Write(close.ToString("F8", inv));
            w.Write(',');
            w.Write(volume.ToString("F8", inv));
            if (binance)
            {
                w.Write(',');
                w.Write((t + Minute - 1).ToString(inv));
                w.Write(',');
                w.Write((volume * close).ToString("F8", inv));
                w.Write(',');
                w.Write(rng.Next(100, 5000).ToString(inv));
                w.Write(',');
                w.Write((volume / 2).ToString("F8", inv));
                w.Write(',');
                w.Write((volume * close / 2).ToString("F8", inv));
                w.Write(",0");
            }

            w.Write('\n');
        }
    }

    private static (double ColdMs, double CsvMs, double ZipMs)? RealData()
    {
        string? data = null;
        for (var d = new DirectoryInfo(Environment.CurrentDirectory); d is not null && data is null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "data", "BTCUSDT_1h_2024.csv")))
            {
                data = Path.Combine(d.FullName, "data");
            }
        }

        if (data is null)
        {
            Console.WriteLine("data/BTCUSDT_1h_2024.csv not found from the current folder: skipping the real-data timings");
            return null;
        }

        string csv = Path.Combine(data, "BTCUSDT_1h_2024.csv");
        string zips = Path.Combine(data, "binance-raw", "*.zip");
        var sw = Stopwatch.StartNew();
        int n = CandleLoader.Load(csv).Count;
        double cold = sw.Elapsed.TotalMilliseconds;
        if (n != 8784 || CandleLoader.Load(zips).Count != 8784)
        {
            throw new InvalidOperationException("the real data should have 8,784 candles");
        }

        return (cold, Best(() => CandleLoader.Load(csv)), Best(() => CandleLoader.Load(zips)));
    }

    private static double Best(Func<CandleSeries> load)
    {
        double best = double.MaxValue;
        for (int i = 0; i < 20; i++)
        {
            var sw = Stopwatch.StartNew();
            load();
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
        }

        return best;
    }
}
