namespace Trading.Core.Indicators;

/// <summary>
/// A streaming indicator in Lean's manner: fed one value (or bar) at a time with O(1) work and no allocation per
/// update; <see cref="IsReady"/> once <see cref="WarmUpPeriod"/> samples have been seen. Before that its value is
/// not meaningful (it reads 0 or NaN as each type documents). <see cref="Reset"/> returns it to its initial state.
/// </summary>
public interface IIndicator
{
    /// <summary>Samples needed before <see cref="IsReady"/>.</summary>
    int WarmUpPeriod { get; }

    /// <summary>Samples seen since construction or <see cref="Reset"/>.</summary>
    int Samples { get; }

    bool IsReady { get; }

    void Reset();
}
