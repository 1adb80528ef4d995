namespace Trading.Live.Risk;

/// <summary>The gate's answer: passed, or the rule that refused and why (a line for the log and the strategy).</summary>
public readonly record struct RiskCheck(RiskRule Rule, string? Reason)
{
    public static RiskCheck Pass => default;

    public bool Passed => Rule == RiskRule.None;
}
