namespace Trading.Core.Strategies;

public enum ParameterKind : byte
{
    /// <summary>A whole number (periods, counts). Values must be integral.</summary>
    Integer,

    /// <summary>A real number (thresholds, fractions).</summary>
    Real,
}
