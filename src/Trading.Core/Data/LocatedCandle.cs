using Trading.Core.Market;

namespace Trading.Core.Data;

/// <summary>A candle with where it was read: the index of its source in the load order and its line there.</summary>
internal readonly record struct LocatedCandle(Candle Candle, int SourceIndex, long Line);
