namespace Trading.Optimizer.Constraints;

/// <summary>
/// A comparison of two numbers. <c>==</c> and <c>!=</c> compare exactly: grid values are generated exactly
/// (start + i·step in decimal), so <c>fast == 10</c> matches the grid point 10.
/// </summary>
internal sealed class ComparisonExpr(TokenKind op, Expr left, Expr right) : Expr
{
    public override bool IsCondition => true;

    public override bool Test(ReadOnlySpan<double> values)
    {
        double a = left.Evaluate(values), b = right.Evaluate(values);
        return op switch
        {
            TokenKind.Less => a < b,
            TokenKind.LessEqual => a <= b,
            TokenKind.Greater => a > b,
            TokenKind.GreaterEqual => a >= b,
            TokenKind.Equal => a == b,
            _ => a != b,
        };
    }

    public override string ToString() => $"{left} {ArithmeticExpr.Symbol(op)} {right}";
}
