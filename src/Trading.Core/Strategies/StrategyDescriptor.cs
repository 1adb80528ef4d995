namespace Trading.Core.Strategies;

/// <summary>
/// How a strategy is named, described and made: no reflection on the hot path. <see cref="Create"/> receives a
/// complete, validated <see cref="ParameterSet"/> (every declared parameter present and in range).
/// </summary>
public sealed record StrategyDescriptor(string Name, string Summary, IReadOnlyList<ParameterSpec> Parameters, Func<ParameterSet, IStrategy> Create)
{
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
