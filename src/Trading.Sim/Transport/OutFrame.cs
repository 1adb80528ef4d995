namespace Trading.Sim.Transport;

/// <summary>A text frame queued for a connection, sent after <see cref="Delay"/> (the stall fault).</summary>
internal readonly record struct OutFrame(byte[] Text, TimeSpan Delay);
