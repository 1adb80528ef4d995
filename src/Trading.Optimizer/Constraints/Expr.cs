namespace Trading.Optimizer.Constraints;

/// <summary>
/// A node of a parsed <c>--where</c> expression. Two types exist: conditions (<see cref="IsCondition"/>, evaluated
/// with <see cref="Test"/>) and numbers (evaluated with <see cref="Evaluate"/>); the parser checks that every operator
/// gets operands of the right type, so evaluation never meets a type error. Parameters are read by index from the
/// values of a complete <see cref="Trading.Core.Strategies.ParameterSet"/> (ordered by name).
/// </summary>
internal abstract class Expr
{
    public abstract bool IsCondition { get; }

    public virtual double Evaluate(ReadOnlySpan<double> values) => throw new InvalidOperationException("a condition has no numeric value");

    public virtual bool Test(ReadOnlySpan<double> values) => throw new InvalidOperationException("a number is not a condition");
}
