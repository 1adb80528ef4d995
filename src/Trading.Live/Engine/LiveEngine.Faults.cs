using Trading.Core.Strategies;

namespace Trading.Live.Engine;

/// <summary>
/// A strategy that throws (<see cref="StrategyGuard"/>): one log line naming the strategy and the callback, then the
/// ordinary stop sequence without the strategy — open orders canceled (unless --keep-orders), both connections closed
/// with a close handshake — and the run ends with <see cref="LiveStopReason.StrategyFailed"/> and that line as its error.
/// </summary>
public sealed partial class LiveEngine
{
    private void OnStrategyFault(string callback, Exception e)
    {
        var message = $"strategy {_settings.StrategyName} threw in {callback}: {e.GetType().Name}: {e.Message}";
        _strategyActive = false;
        Log.Log(StrategyLogLevel.Error, message);
        Stop(LiveStopReason.StrategyFailed, message);
    }
}
