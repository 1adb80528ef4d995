namespace Trading.Sim.Market;

/// <summary>One synthesised market trade: market time (ms), price on the tick grid, quantity on the lot grid.</summary>
internal readonly record struct SynthTrade(long Time, decimal Price, decimal Quantity);
