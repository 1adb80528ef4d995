namespace Trading.Live.Reconcile;

/// <summary><c>--unknown-orders adopt|cancel</c>: what to do with an open venue order the journal does not know.</summary>
public enum UnknownOrderPolicy : byte
{
    /// <summary>Cancel it before trading (the default: a stranger's order must not trade against the strategy).</summary>
    Cancel,

    /// <summary>Keep it and track it as an order of this run.</summary>
    Adopt,
}
