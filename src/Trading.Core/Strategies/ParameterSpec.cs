using System.Globalization;

namespace Trading.Core.Strategies;

/// <summary>
/// A parameter a strategy declares: its name (kebab/lower case), kind, default and the inclusive range
/// [<see cref="Min"/>, <see cref="Max"/>] with the <see cref="Step"/> an optimizer sweeps it by.
/// </summary>
public sealed record ParameterSpec(string Name, ParameterKind Kind, double Default, double Min, double Max, double Step, string Description)
{
    public static ParameterSpec Int(string name, int @default, int min, int max, int step, string description) =>
        new(name, ParameterKind.Integer, @default, min, max, step, description);

    public static ParameterSpec Real(string name, double @default, double min, double max, double step, string description) =>
        new(name, ParameterKind.Real, @default, min, max, step, description);

    /// <summary>Null when <paramref name="value"/> is allowed, else why not (one line, names the parameter).</summary>
    public string? Check(double value)
    {
        if (!double.IsFinite(value))
        {
            return $"parameter '{Name}' must be a finite number";
        }

        if (Kind == ParameterKind.Integer && value != Math.Floor(value))
        {
            return $"parameter '{Name}' must be a whole number, got {Format(value)}";
        }

        if (value < Min || value > Max)
        {
            return $"parameter '{Name}' = {Format(value)} is out of range [{Format(Min)}, {Format(Max)}]";
        }

        return null;
    }

    /// <summary>Parses <paramref name="text"/> as this parameter's value (invariant culture); null and an error when it cannot.</summary>
    public bool TryParse(string text, out double value, out string? error)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            error = $"parameter '{Name}' expects a number, got '{text}'";
            return false;
        }

        error = Check(value);
        return error is null;
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
