using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using Trading.Core.Market;

namespace Trading.Study;

/// <summary>
/// What makes two runs the same study: the strategy and its fixed parameters, the search space (axes and constraints),
/// the objective and <c>--min-trades</c>, the search (kind, its sizes and seed), the data (a content hash of every candle,
/// warm-up history included, and where the optimised period starts) and the fill model. Stored as one JSON object in
/// study_system_attributes (key <see cref="AttributeKey"/>); a process joins a study only when every field is equal.
/// </summary>
public sealed record StudyDefinition
{
    public const string AttributeKey = "quant:definition";

    public required string Strategy { get; init; }

    public required string Parameters { get; init; }

    public required string Space { get; init; }

    public required string Objective { get; init; }

    public required int MinTrades { get; init; }

    public required string Search { get; init; }

    public required string Data { get; init; }

    public required string Fill { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, StudyJson.Default.StudyDefinition);

    public static StudyDefinition FromJson(string json) =>
        JsonSerializer.Deserialize(json, StudyJson.Default.StudyDefinition) ?? throw new StudyException("the study's definition is empty");

    /// <summary>The names of the fields that differ (empty when the definitions are the same study).</summary>
    public IReadOnlyList<string> Differences(StudyDefinition other)
    {
        var d = new List<string>();
        void Check(string name, string a, string b)
        {
            if (!string.Equals(a, b, StringComparison.Ordinal))
            {
                d.Add(name);
            }
        }

        Check("strategy", Strategy, other.Strategy);
        Check("parameters", Parameters, other.Parameters);
        Check("space", Space, other.Space);
        Check("objective", Objective, other.Objective);
        Check("min-trades", MinTrades.ToString(System.Globalization.CultureInfo.InvariantCulture), other.MinTrades.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Check("search", Search, other.Search);
        Check("data", Data, other.Data);
        Check("fill model", Fill, other.Fill);
        return d;
    }

    /// <summary>
    /// "sha256:HEX" over every candle's open time and OHLCV as little-endian 64-bit values, so the same file read on
    /// any machine hashes the same, and a single changed price gives another study.
    /// </summary>
    public static string HashCandles(ReadOnlySpan<Candle> candles)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> row = stackalloc byte[48];
        foreach (var c in candles)
        {
            BinaryPrimitives.WriteInt64LittleEndian(row, c.OpenTime);
            BinaryPrimitives.WriteDoubleLittleEndian(row[8..], c.Open);
            BinaryPrimitives.WriteDoubleLittleEndian(row[16..], c.High);
            BinaryPrimitives.WriteDoubleLittleEndian(row[24..], c.Low);
            BinaryPrimitives.WriteDoubleLittleEndian(row[32..], c.Close);
            BinaryPrimitives.WriteDoubleLittleEndian(row[40..], c.Volume);
            hash.AppendData(row);
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
