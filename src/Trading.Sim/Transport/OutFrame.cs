namespace Trading.Sim.Transport;

/// <summary>A text frame queued for a connection, sent after <see cref="Delay"/> (the stall fault); <see cref="Sent"/>
/// runs on the pump as the frame is handed to the socket (from then on the client may have read it).</summary>
internal readonly record struct OutFrame(byte[] Text, TimeSpan Delay, Action? Sent = null);
