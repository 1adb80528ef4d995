namespace Trading.Live.Engine;

public enum LiveStopReason : byte
{
    /// <summary>Ctrl-C, SIGTERM or the host asked.</summary>
    Requested,

    /// <summary>The --duration elapsed.</summary>
    Duration,

    /// <summary>The kill switch tripped.</summary>
    KillSwitch,

    /// <summary>The venue announced a shutdown or the data ended.</summary>
    VenueClosed,

    /// <summary>A connection failed or the venue refused us (see <see cref="LiveRunResult.Error"/>).</summary>
    Failed,

    /// <summary>The strategy threw from a callback (see <see cref="LiveRunResult.Error"/>: its name, the callback, the exception).</summary>
    StrategyFailed,
}
