using System.Text;
using Trading.Core.Data;

namespace Trading.Core.Tests.Data;

/// <summary>
/// Streaming keeps memory proportional to the candles kept, not to the file: reading ten times the rows must not
/// allocate (meaningfully) more. Allocation counts of the current thread are exact, so this is not a timing test.
/// </summary>
public sealed class StreamingMemoryTests : IDisposable
{
    private readonly TempDataDir _dir = new();

    private string Generate(string name, int rows, bool binance)
    {
        var sb = new StringBuilder(binance ? "" : "timestamp,open,high,low,close,volume\n");
        for (int i = 0; i < rows; i++)
        {
            long t = 1704067200000 + (i * 60_000L);
            sb.Append(t).Append(",42000.01000000,42100.50000000,41900.25000000,42050.75000000,12.34567000");
            if (binance)
            {
                sb.Append(',').Append(t + 59_999).Append(",518000.12345678,321,6.17283500,259000.06172839,0");
            }

            sb.Append('\n');
        }

        return _dir.Write(name, sb.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Streaming_allocation_does_not_grow_with_the_file(bool binance)
    {
        string small = Generate("small.csv", 5_000, binance);
        string large = Generate("large.csv", 50_000, binance);
        Assert.Equal(5_000, CandleLoader.Stream(small).Count()); // warm-up: first-call allocations out of the way

        long a0 = GC.GetAllocatedBytesForCurrentThread();
        int n1 = CandleLoader.Stream(small).Count();
        long a1 = GC.GetAllocatedBytesForCurrentThread();
        int n2 = CandleLoader.Stream(large).Count();
        long a2 = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(5_000, n1);
        Assert.Equal(50_000, n2);
        long smallBytes = a1 - a0;
        long largeBytes = a2 - a1;
        // The large file is ~4 MB (header CSV) or ~7 MB (Binance) of text; 45,000 more rows may not cost more than
        // 64 KB more (that is, under 1.5 bytes a row: nothing is allocated per row).
        Assert.True(largeBytes - smallBytes < 64 * 1024, $"small file: {smallBytes} bytes allocated, large file: {largeBytes}");
        Assert.True(largeBytes < new FileInfo(large).Length / 4, $"allocated {largeBytes} bytes for a {new FileInfo(large).Length}-byte file");
    }

    public void Dispose() => _dir.Dispose();
}
