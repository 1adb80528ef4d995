namespace Trading.Core.Data;

/// <summary>
/// The sources of one load, ordered by their first candle time (ties by name, for determinism). Ordering reads each
/// file's first record; the readers are kept open and handed to the loader, so nothing is read twice, unless there
/// are more than <see cref="MaxOpenReaders"/> files (a folder of years of daily files): then each is closed after its
/// first record and reopened in turn, so that open handles and buffers stay bounded.
/// </summary>
internal sealed class OrderedSources : IDisposable
{
    /// <summary>Above this many files, readers are not kept open between ordering and reading.</summary>
    internal const int MaxOpenReaders = 32;

    private readonly CandleFileReader?[] _readers;

    private OrderedSources(List<CandleSource> sources, CandleFileReader?[] readers, List<string> empty)
    {
        Sources = sources;
        _readers = readers;
        Empty = empty;
    }

    /// <summary>The sources that have candles, in reading order.</summary>
    public List<CandleSource> Sources { get; }

    /// <summary>Names of the sources without any candle (left out of <see cref="Sources"/>).</summary>
    public List<string> Empty { get; }

    /// <summary>Resolves <paramref name="pathOrGlob"/> and orders its sources. At least one source has a candle.</summary>
    public static OrderedSources Open(string pathOrGlob) => Open(CandleSourceResolver.Resolve(pathOrGlob), pathOrGlob);

    /// <summary>Orders <paramref name="all"/> (at least one); <paramref name="label"/> names them all in errors.</summary>
    public static OrderedSources Open(List<CandleSource> all, string label)
    {
        var pathOrGlob = label;
        bool keep = all.Count <= MaxOpenReaders;
        var keyed = new List<Keyed>(all.Count);
        var empty = new List<string>();
        try
        {
            foreach (var s in all)
            {
                // Only the first record is wanted when the reader is not kept: a small buffer then.
                var reader = new CandleFileReader(s, keep ? CandleFileReader.DefaultBufferSize : 4096);
                bool any;
                long first;
                try
                {
                    any = reader.Peek(out first);
                }
                catch
                {
                    reader.Dispose();
                    throw;
                }

                if (any)
                {
                    keyed.Add(new Keyed(first, s, keep ? reader : null));
                }
                else
                {
                    empty.Add(s.Name);
                }

                if (!keep || !any)
                {
                    reader.Dispose();
                }
            }
        }
        catch
        {
            foreach (var k in keyed)
            {
                k.Reader?.Dispose();
            }

            throw;
        }

        if (keyed.Count == 0)
        {
            throw all.Count == 1
                ? new CandleDataException(all[0].Name, 0, "no candles in the file")
                : new CandleDataException(pathOrGlob, 0, "no candles in any of the files");
        }

        keyed.Sort();
        var sources = new List<CandleSource>(keyed.Count);
        var readers = new CandleFileReader?[keyed.Count];
        for (int i = 0; i < keyed.Count; i++)
        {
            sources.Add(keyed[i].Source);
            readers[i] = keyed[i].Reader;
        }

        return new OrderedSources(sources, readers, empty);
    }

    /// <summary>The reader of source <paramref name="index"/>, positioned before its first candle; the caller disposes it.</summary>
    public CandleFileReader TakeReader(int index)
    {
        var r = _readers[index];
        if (r is not null)
        {
            _readers[index] = null;
            return r;
        }

        var fresh = new CandleFileReader(Sources[index]);
        return fresh;
    }

    /// <summary>Closes the readers not taken (an enumeration stopped early, or an error).</summary>
    public void Dispose()
    {
        for (int i = 0; i < _readers.Length; i++)
        {
            _readers[i]?.Dispose();
            _readers[i] = null;
        }
    }

    private readonly record struct Keyed(long First, CandleSource Source, CandleFileReader? Reader) : IComparable<Keyed>
    {
        public int CompareTo(Keyed other) =>
            First != other.First ? First.CompareTo(other.First) : string.CompareOrdinal(Source.Name, other.Source.Name);
    }
}
