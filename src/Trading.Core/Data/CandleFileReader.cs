using System.Globalization;
using CsvHelper;
using Trading.Core.Market;

namespace Trading.Core.Data;

/// <summary>
/// Reads and validates the candles of one <see cref="CandleSource"/>, one record at a time: memory is the CSV reader's
/// buffer, whatever the file's size. The format is decided by the first record: a first field that is a time means
/// Binance klines without a header (12 columns), anything else is a header row. Every record is checked on its own
/// (column count, numbers, high ≥ low, open/close within [low, high], positive prices, volume ≥ 0); the order of
/// records is the caller's business (<see cref="CandleLoader"/>), since it spans files.
/// Every failure is a <see cref="CandleDataException"/> naming the source and the record's line.
/// </summary>
internal sealed class CandleFileReader : IDisposable
{
    /// <summary>The Binance kline columns, as Binance's documentation names them.</summary>
    internal static readonly string[] BinanceColumns =
    [
        "open_time", "open", "high", "low", "close", "volume", "close_time", "quote_asset_volume", "number_of_trades",
        "taker_buy_base_asset_volume", "taker_buy_quote_asset_volume", "ignore",
    ];

    /// <summary>Header names accepted for the open time, compared ignoring case.</summary>
    private static readonly string[] TimeColumnNames = ["timestamp", "open_time", "opentime", "time", "date", "datetime"];

    private static readonly CsvReaderOptions BaseOptions = CsvReaderOptions.Default with
    {
        Separator = ',',
        HasHeader = false, // decided per file from the first record
        TrackLineNumbers = true, // messages name lines, and blank lines must count
        FormatProvider = CultureInfo.InvariantCulture,
        AllowLineBreaksInQuotes = false, // one stray quote must not swallow the rest of the file
        MalformedData = CsvMalformedDataHandling.Throw,
        DetectSeparatorHint = false,
        IncludeValuesInExceptions = true,
    };

    private readonly CandleSource _source;
    private readonly Stream _stream;
    private readonly IDisposable? _owner;
    private readonly CsvReader _csv;
    private readonly string[] _names = new string[6]; // column names for messages: time, open, high, low, close, volume
    private int _time;
    private int _open;
    private int _high;
    private int _low;
    private int _close;
    private int _volume;
    private int _fieldCount;
    private bool _done;
    private bool _quoted; // the current record has a quote character somewhere
    private bool _pending; // Peek read a candle that TryRead has not returned yet
    private Candle _pendingCandle;
    private long _pendingLine;

    /// <summary>CsvHelper's default read buffer.</summary>
    internal const int DefaultBufferSize = 64 * 1024;

    public CandleFileReader(CandleSource source, int bufferSize = DefaultBufferSize)
    {
        _source = source;
        _stream = source.Open(out _owner);
        try
        {
            _csv = CsvReader.Create(_stream, BaseOptions with { BufferSize = bufferSize }, leaveOpen: true);
        }
        catch
        {
            _stream.Dispose();
            _owner?.Dispose();
            throw;
        }
    }

    public CandleSource Source => _source;

    public CandleFileFormat Format { get; private set; }

    /// <summary>The 1-based line where the last record returned by <see cref="TryRead"/> starts.</summary>
    public long Line { get; private set; }

    /// <summary>
    /// Reads the first candle and keeps it for the next <see cref="TryRead"/>, so that the caller can order files by
    /// their first candle without reading anything twice. False when the file has no candle. Call it first, once.
    /// </summary>
    public bool Peek(out long firstOpenTime)
    {
        _pending = TryRead(out _pendingCandle);
        _pendingLine = Line;
        firstOpenTime = _pendingCandle.OpenTime;
        return _pending;
    }

    /// <summary>Reads the next candle; false at the end of the file. Throws <see cref="CandleDataException"/> on bad data.</summary>
    public bool TryRead(out Candle candle)
    {
        if (_pending)
        {
            _pending = false;
            Line = _pendingLine;
            candle = _pendingCandle;
            return true;
        }

        while (!_done && Next())
        {
            if (Format == CandleFileFormat.Unknown && DetectFormat())
            {
                continue; // the record was the header
            }

            candle = ParseRecord();
            return true;
        }

        _done = true;
        candle = default;
        return false;
    }

    public void Dispose()
    {
        _csv.Dispose();
        _stream.Dispose();
        _owner?.Dispose();
    }

    private bool Next()
    {
        try
        {
            if (!_csv.Read())
            {
                return false;
            }
        }
        catch (CsvFormatException e)
        {
            throw new CandleDataException(_source.Name, e.LineNumber, "malformed CSV: " + CsvProblem(e.Message), e);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            // A truncated or corrupt archive shows up here, while inflating.
            throw new CandleDataException(_source.Name, Line, $"read error after this line: {e.Message}", e);
        }

        Line = _csv.LineNumber;
        return true;
    }

    // CsvHelper says "Malformed CSV in record 11 (line 12): text after ... (byte offset 88)."; the location is ours to give.
    private static string CsvProblem(string message)
    {
        int colon = message.IndexOf("): ", StringComparison.Ordinal);
        string what = colon >= 0 ? message[(colon + 3)..] : message;
        int offset = what.LastIndexOf(" (byte offset", StringComparison.Ordinal);
        return (offset >= 0 ? what[..offset] : what).TrimEnd('.');
    }

    /// <summary>Decides the format from the first record. Returns true when the record is a header (to be skipped).</summary>
    private bool DetectFormat()
    {
        if (CandleTime.TryParse(_csv.GetSpan(0), "", out _, out _))
        {
            if (_csv.FieldCount != BinanceColumns.Length)
            {
                throw Error($"no header row and {_csv.FieldCount} columns: expected a header (timestamp,open,high,low,close,volume) or {BinanceColumns.Length}-column Binance klines");
            }

            Format = CandleFileFormat.BinanceKline;
            _fieldCount = BinanceColumns.Length;
            (_time, _open, _high, _low, _close, _volume) = (0, 1, 2, 3, 4, 5);
            Array.Copy(BinanceColumns, _names, 6);
            return false;
        }

        Format = CandleFileFormat.HeaderCsv;
        _fieldCount = _csv.FieldCount;
        var header = new string[_fieldCount];
        for (int i = 0; i < header.Length; i++)
        {
            header[i] = _csv.GetString(i).Trim();
        }

        _time = Column(header, TimeColumnNames, 0);
        _open = Column(header, ["open"], 1);
        _high = Column(header, ["high"], 2);
        _low = Column(header, ["low"], 3);
        _close = Column(header, ["close"], 4);
        _volume = Column(header, ["volume"], 5);
        return true;
    }

    private int Column(string[] header, string[] accepted, int slot)
    {
        for (int i = 0; i < header.Length; i++)
        {
            foreach (string name in accepted)
            {
                if (string.Equals(header[i], name, StringComparison.OrdinalIgnoreCase))
                {
                    _names[slot] = header[i];
                    return i;
                }
            }
        }

        throw Error($"the header has no '{accepted[0]}' column (expected timestamp,open,high,low,close,volume)");
    }

    private Candle ParseRecord()
    {
        if (_csv.FieldCount != _fieldCount)
        {
            throw Error(Format == CandleFileFormat.BinanceKline
                ? $"expected {_fieldCount} columns (Binance kline), found {_csv.FieldCount}"
                : $"expected {_fieldCount} columns as in the header, found {_csv.FieldCount}");
        }

        _quoted = _csv.RawRecord.Contains((byte)'"');
        if (!CandleTime.TryParse(_csv.GetSpan(_time), _names[0], out long time, out string? problem))
        {
            throw Error(problem!);
        }

        double open = Number(_open, 1);
        double high = Number(_high, 2);
        double low = Number(_low, 3);
        double close = Number(_close, 4);
        double volume = Number(_volume, 5);

        if (high < low)
        {
            throw Error($"high {N(high)} is below low {N(low)}");
        }

        if (low <= 0)
        {
            throw Error($"low {N(low)} is not a positive price");
        }

        if (open < low || open > high)
        {
            throw Error($"open {N(open)} is outside [low {N(low)}, high {N(high)}]");
        }

        if (close < low || close > high)
        {
            throw Error($"close {N(close)} is outside [low {N(low)}, high {N(high)}]");
        }

        if (volume < 0)
        {
            throw Error($"volume {N(volume)} is negative");
        }

        return new Candle(time, open, high, low, close, volume);
    }

    private double Number(int field, int slot)
    {
        // CsvHelper parses the field's UTF-8 bytes in place (fast_float, exactly rounded, invariant culture): no string
        // per field, and about 4x faster than double.Parse on this data. Its parser also takes thousands separators,
        // which would read a quoted "105,5" (a decimal comma) as 1055: a comma is only possible in a quoted field, so
        // records without a quote skip that check.
        if (_csv.TryParse(field, out double v) && double.IsFinite(v) && (!_quoted || !_csv.GetSpan(field).Contains((byte)',')))
        {
            return v;
        }

        ReadOnlySpan<byte> raw = _csv.GetSpan(field);
        bool number = double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out v);
        throw Error(raw.IsEmpty
            ? $"column '{_names[slot]}' is empty"
            : !number ? $"column '{_names[slot]}': '{CandleTime.Quote(raw)}' is not a number"
            : $"column '{_names[slot]}': '{CandleTime.Quote(raw)}' is not a finite number");
    }

    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private CandleDataException Error(string problem) => new(_source.Name, Line, problem);
}
