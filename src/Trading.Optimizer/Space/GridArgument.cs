using System.Globalization;
using Trading.Core.Strategies;

namespace Trading.Optimizer.Space;

/// <summary>
/// Parses one <c>--grid</c> value into a <see cref="ParameterAxis"/>:
/// <list type="bullet">
/// <item><c>name=start:stop:step</c>: start, start+step, … up to and including stop (or the last value ≤ stop). Values
/// are computed as <c>start + i·step</c> in <see cref="decimal"/>, exactly, and only then converted to double: so
/// <c>0.1:0.3:0.1</c> gives 0.1, 0.2, 0.3, never 0.30000000000000004 and never a lost last value.</item>
/// <item><c>name=a,b,c</c>: exactly these values, in this order (no duplicates).</item>
/// <item><c>name</c>: the strategy's declared range, <c>Min:Max:Step</c>.</item>
/// </list>
/// Every value is checked against the declaration (range, whole numbers for integer parameters). Errors are one line
/// naming <c>--grid</c> and the text.
/// </summary>
public static class GridArgument
{
    /// <summary>Most values one axis may have: beyond this a typo (a step of 0.0001) is far likelier than intent.</summary>
    public const int MaxValuesPerAxis = 1_000_000;

    public static ParameterAxis Parse(string text, StrategyDescriptor strategy)
    {
        var eq = text.IndexOf('=');
        var name = (eq < 0 ? text : text[..eq]).Trim();
        if (name.Length == 0)
        {
            throw Error(text, "expects name=start:stop:step, name=a,b,c or a bare parameter name");
        }

        var spec = strategy.Find(name)
            ?? throw Error(text, $"unknown parameter '{name}' for strategy '{strategy.Name}' (known: {string.Join(", ", strategy.Parameters.Select(p => p.Name))})");
        if (eq < 0)
        {
            return Range(text, spec, (decimal)spec.Min, (decimal)spec.Max, (decimal)spec.Step);
        }

        var body = text[(eq + 1)..].Trim();
        if (body.Length == 0)
        {
            throw Error(text, "has no values after '='");
        }

        if (body.Contains(':', StringComparison.Ordinal))
        {
            var parts = body.Split(':');
            if (parts.Length != 3)
            {
                throw Error(text, "a range is start:stop:step (three numbers)");
            }

            return Range(text, spec, Number(text, parts[0]), Number(text, parts[1]), Number(text, parts[2]));
        }

        var values = new List<double>();
        foreach (var part in body.Split(','))
        {
            var v = (double)Number(text, part);
            if (values.Contains(v))
            {
                throw Error(text, $"lists {ParameterSpec.Format(v)} twice");
            }

            Check(text, spec, v);
            values.Add(v);
        }

        return new ParameterAxis(spec, values, isRange: values.Count == 1);
    }

    private static ParameterAxis Range(string text, ParameterSpec spec, decimal start, decimal stop, decimal step)
    {
        if (step <= 0)
        {
            throw Error(text, $"step must be positive, got {step.ToString(CultureInfo.InvariantCulture)}");
        }

        if (stop < start)
        {
            throw Error(text, $"stop {stop.ToString(CultureInfo.InvariantCulture)} is below start {start.ToString(CultureInfo.InvariantCulture)}");
        }

        var count = decimal.Floor((stop - start) / step) + 1;
        if (count > MaxValuesPerAxis)
        {
            throw Error(text, $"gives {count.ToString(CultureInfo.InvariantCulture)} values, more than {MaxValuesPerAxis:N0}; use a larger step");
        }

        var values = new double[(int)count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (double)(start + (i * step));
            Check(text, spec, values[i]);
        }

        return new ParameterAxis(spec, values, isRange: true);
    }

    private static void Check(string text, ParameterSpec spec, double value)
    {
        if (spec.Check(value) is { } error)
        {
            throw Error(text, error);
        }
    }

    private static decimal Number(string text, string part)
    {
        if (!decimal.TryParse(part.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(text, $"'{part.Trim()}' is not a number");
        }

        return value;
    }

    private static OptimizerException Error(string text, string what) => new($"--grid {text}: {what}");
}
