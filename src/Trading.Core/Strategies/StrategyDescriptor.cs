namespace Trading.Core.Strategies;

/// <summary>
/// How a strategy is named, described and made: no reflection on the hot path. <see cref="Create"/> receives a
/// complete, validated <see cref="ParameterSet"/> (every declared parameter present and in range).
/// <see cref="WarmUp"/>, when given, says how many closed candles the strategy must have seen before the first candle
/// it can act on, from the same complete parameters (e.g. <c>slow</c> for an SMA cross: the slow average is ready on
/// candle slow − 1 and a cross compares it with the next one); read it with <see cref="WarmUpCandles"/>.
/// </summary>
public sealed record StrategyDescriptor(
    string Name,
    string Summary,
    IReadOnlyList<ParameterSpec> Parameters,
    Func<ParameterSet, IStrategy> Create,
    Func<ParameterSet, int>? WarmUp = null)
{
    /// <summary>
    /// The warm-up the strategy declares for <paramref name="parameters"/> (completed with defaults and validated
    /// first, as <see cref="CreateWith"/> does), in candles; 0 when it declares none. Engines feed that many candles
    /// before the first tradable one: the backtest the candles just before <c>--from</c> when the data has them (else
    /// the first of the range), the live engine the latest closed candles from the venue's history.
    /// </summary>
    public int WarmUpCandles(ParameterSet parameters)
    {
        if (WarmUp is null)
        {
            return 0;
        }

        var candles = WarmUp(Complete(parameters));
        return candles >= 0 ? candles : throw new StrategyParameterException($"strategy '{Name}' declares a negative warm-up ({candles} candles)");
    }

    /// <summary>Every declared parameter at its default.</summary>
    public ParameterSet Defaults => ParameterSet.From(Parameters.Select(p => new KeyValuePair<string, double>(p.Name, p.Default)));

    public ParameterSpec? Find(string name) => Parameters.FirstOrDefault(p => p.Name == name);

    /// <summary>
    /// Defaults overridden by <paramref name="overrides"/> (text values, as typed on a command line). Throws
    /// <see cref="StrategyParameterException"/> with one line naming the parameter on an unknown name, an unparsable
    /// or out-of-range value.
    /// </summary>
    public ParameterSet Bind(IEnumerable<KeyValuePair<string, string>> overrides)
    {
        var set = Defaults;
        foreach (var (name, text) in overrides)
        {
            var spec = Find(name) ?? throw Unknown(name);
            if (!spec.TryParse(text, out var value, out var error))
            {
                throw new StrategyParameterException(error!);
            }

            set = set.With(name, value);
        }

        return set;
    }

    /// <summary>Fills missing parameters with defaults and checks every value; throws <see cref="StrategyParameterException"/>.</summary>
    public ParameterSet Complete(ParameterSet values)
    {
        var set = Defaults;
        foreach (var (name, value) in values.ToPairs())
        {
            var spec = Find(name) ?? throw Unknown(name);
            var error = spec.Check(value);
            if (error is not null)
            {
                throw new StrategyParameterException(error);
            }

            set = set.With(name, value);
        }

        return set;
    }

    /// <summary>Validates <paramref name="values"/> and creates an instance.</summary>
    public IStrategy CreateWith(ParameterSet values) => Create(Complete(values));

    private StrategyParameterException Unknown(string name) =>
        new($"unknown parameter '{name}' for strategy '{Name}' (known: {string.Join(", ", Parameters.Select(p => p.Name))})");
}
