namespace Trading.Sim;

/// <summary>
/// Where the replay stands (<see cref="SimServer.State"/>, <c>GET /sim/state</c>).
/// <see cref="Time"/>: the replay clock, market time of the last event (ms). <see cref="CandleIndex"/>: the index (in
/// <see cref="SimOptions.Candles"/>) of the candle the last event belonged to, its close included.
/// <see cref="EventsLeft"/>: market events still to come; 0 means the data is exhausted and nothing will move again.
/// <see cref="Idle"/>: every request received so far has been answered (or deliberately lost by a fault) and every
/// frame queued has been written to its socket, except frames a fault holds back until the replay clock moves.
/// <see cref="Speed"/>: market ms per wall ms; 0 while paused (lockstep).
/// </summary>
public readonly record struct SimState(long Time, int CandleIndex, long EventsLeft, bool Idle, double Speed)
{
    /// <summary>True once the replay has emitted its last event (the data is exhausted).</summary>
    public bool Finished => EventsLeft == 0;
}
