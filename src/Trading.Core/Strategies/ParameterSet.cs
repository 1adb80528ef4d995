using System.Text;

namespace Trading.Core.Strategies;

/// <summary>
/// An immutable set of named parameter values, ordered by name (ordinal) so that equal sets compare, hash and print
/// identically whatever order they were built in. Lookups are linear over a handful of entries: cheaper than a
/// dictionary at these sizes, and strategies read their parameters once, at construction.
/// </summary>
public sealed class ParameterSet : IEquatable<ParameterSet>
{
    private readonly string[] _names;
    private readonly double[] _values;

    public static ParameterSet Empty { get; } = new([], []);

    private ParameterSet(string[] names, double[] values)
    {
        _names = names;
        _values = values;
    }

    public static ParameterSet From(IEnumerable<KeyValuePair<string, double>> values)
    {
        var pairs = values.ToArray();
        Array.Sort(pairs, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        for (var i = 1; i < pairs.Length; i++)
        {
            if (pairs[i].Key == pairs[i - 1].Key)
            {
                throw new ArgumentException($"parameter '{pairs[i].Key}' given twice", nameof(values));
            }
        }

        return new ParameterSet(pairs.Select(p => p.Key).ToArray(), pairs.Select(p => p.Value).ToArray());
    }

    public static ParameterSet From(params (string Name, double Value)[] values) =>
        From(values.Select(v => new KeyValuePair<string, double>(v.Name, v.Value)));

    public int Count => _names.Length;

    public IReadOnlyList<string> Names => _names;

    public IReadOnlyList<double> Values => _values;

    public bool TryGet(string name, out double value)
    {
        var i = Array.IndexOf(_names, name);
        value = i >= 0 ? _values[i] : 0;
        return i >= 0;
    }

    /// <summary>The value of <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> when absent.</summary>
    public double Get(string name) =>
        TryGet(name, out var v) ? v : throw new KeyNotFoundException($"parameter '{name}' is not set");

    public int GetInt(string name) => checked((int)Get(name));

    public decimal GetDecimal(string name) => (decimal)Get(name);

    /// <summary>A copy with <paramref name="name"/> set to <paramref name="value"/> (added when absent).</summary>
    public ParameterSet With(string name, double value)
    {
        var i = Array.IndexOf(_names, name);
        if (i >= 0)
        {
            var values = (double[])_values.Clone();
            values[i] = value;
            return new ParameterSet(_names, values);
        }

        return From(ToPairs().Append(new KeyValuePair<string, double>(name, value)));
    }

    public IEnumerable<KeyValuePair<string, double>> ToPairs()
    {
        for (var i = 0; i < _names.Length; i++)
        {
            yield return new KeyValuePair<string, double>(_names[i], _values[i]);
        }
    }

    public bool Equals(ParameterSet? other) =>
        other is not null && _names.AsSpan().SequenceEqual(other._names) && _values.AsSpan().SequenceEqual(other._values);

    public override bool Equals(object? obj) => Equals(obj as ParameterSet);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var i = 0; i < _names.Length; i++)
        {
            hash.Add(_names[i]);
            hash.Add(_values[i]);
        }

        return hash.ToHashCode();
    }

    /// <summary><c>name=value</c> pairs separated by spaces, ordered by name, values round-trippable.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < _names.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            sb.Append(_names[i]).Append('=').Append(ParameterSpec.Format(_values[i]));
        }

        return sb.ToString();
    }
}
