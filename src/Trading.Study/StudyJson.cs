using System.Text.Json.Serialization;
using Trading.Optimizer.Backtesting;

namespace Trading.Study;

/// <summary>
/// Source-generated JSON for what the study stores. ±∞ (a profit factor with no losing trade) is written as the
/// strings "Infinity"/"-Infinity", which both System.Text.Json and Python's json read back.
/// </summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(StudyDefinition))]
[JsonSerializable(typeof(RunMetrics))]
[JsonSerializable(typeof(StudyStatus))]
internal sealed partial class StudyJson : JsonSerializerContext;
