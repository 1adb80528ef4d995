namespace Trading.Core.Strategies;

/// <summary>
/// A timer or alarm set by <see cref="IStrategyContext.SetTimer"/> / <see cref="IStrategyContext.SetAlarm"/> came due.
/// </summary>
/// <param name="Name">The name it was set under (the strategy's own string, passed back as is).</param>
/// <param name="DueTime">When it was due, ms since the Unix epoch, UTC. A backtest delivers it with
/// <see cref="IStrategyContext.Now"/> equal to this; live, Now is the wall clock, at or just after it.</param>
/// <param name="IntervalMs">The repeat interval of a timer; 0 for a one-shot alarm (which is gone once it fires).</param>
public readonly record struct TimerEvent(string Name, long DueTime, long IntervalMs)
{
    public bool IsAlarm => IntervalMs == 0;
}
