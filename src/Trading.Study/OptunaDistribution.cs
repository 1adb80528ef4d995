using System.Text.Json;
using Trading.Optimizer.Space;

namespace Trading.Study;

/// <summary>
/// An axis as Optuna sees it (trial_params.distribution_json and param_value, Optuna's "internal representation"):
/// a range axis of whole numbers is an IntDistribution(low, high, step), another range axis a
/// FloatDistribution(low, high, step), a list axis a CategoricalDistribution(choices) whose param_value is the index of
/// the choice. Every value is stored exactly (float8 holds the axis's double), so <see cref="Digit"/> maps it back
/// to the same point of the space.
/// </summary>
internal sealed class OptunaDistribution
{
    private readonly ParameterAxis _axis;

    public OptunaDistribution(ParameterAxis axis)
    {
        _axis = axis;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            var v = axis.Values;
            var integral = v.All(x => x == Math.Floor(x) && Math.Abs(x) < 1e15);
            w.WriteStartObject();
            if (axis.IsRange)
            {
                var step = v.Count > 1 ? v[1] - v[0] : 1;
                var isInt = integral && step == Math.Floor(step);
                w.WriteString("name", isInt ? "IntDistribution" : "FloatDistribution");
                w.WriteStartObject("attributes");
                w.WriteBoolean("log", false);
                if (isInt)
                {
                    w.WriteNumber("step", (long)step);
                    w.WriteNumber("low", (long)v[0]);
                    w.WriteNumber("high", (long)v[^1]);
                }
                else
                {
                    w.WriteNumber("step", step);
                    w.WriteNumber("low", v[0]);
                    w.WriteNumber("high", v[^1]);
                }

                w.WriteEndObject();
            }
            else
            {
                w.WriteString("name", "CategoricalDistribution");
                w.WriteStartObject("attributes");
                w.WriteStartArray("choices");
                foreach (var x in v)
                {
                    if (integral)
                    {
                        w.WriteNumberValue((long)x);
                    }
                    else
                    {
                        w.WriteNumberValue(x);
                    }
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        Json = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public string Name => _axis.Name;

    /// <summary>distribution_json, as optuna.distributions.distribution_to_json writes it.</summary>
    public string Json { get; }

    /// <summary>param_value of the axis's <paramref name="digit"/>-th value.</summary>
    public double Internal(int digit) => _axis.IsRange ? _axis.Values[digit] : digit;

    /// <summary>The axis position of a stored param_value; -1 when it is not one of the axis's values.</summary>
    public int Digit(double internalValue)
    {
        if (!_axis.IsRange)
        {
            var i = (int)internalValue;
            return i == internalValue && i >= 0 && i < _axis.Count ? i : -1;
        }

        for (var j = 0; j < _axis.Count; j++)
        {
            if (_axis.Values[j].Equals(internalValue))
            {
                return j;
            }
        }

        return -1;
    }
}
