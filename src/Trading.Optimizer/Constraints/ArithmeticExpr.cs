namespace Trading.Optimizer.Constraints;

/// <summary>
/// <c>+ - * /</c> in IEEE double arithmetic: a division by zero gives ±∞ or NaN, and every comparison with NaN is
/// false, so such a combination is rejected rather than crashing the sweep.
/// </summary>
internal sealed class ArithmeticExpr(TokenKind op, Expr left, Expr right) : Expr
{
    public override bool IsCondition => false;

    public override double Evaluate(ReadOnlySpan<double> values)
    {
        double a = left.Evaluate(values), b = right.Evaluate(values);
        return op switch
        {
            TokenKind.Plus => a + b,
            TokenKind.Minus => a - b,
            TokenKind.Star => a * b,
            _ => a / b,
        };
    }

    public override string ToString() => $"({left} {Symbol(op)} {right})";

    internal static string Symbol(TokenKind op) => op switch
    {
        TokenKind.Plus => "+",
        TokenKind.Minus => "-",
        TokenKind.Star => "*",
        TokenKind.Slash => "/",
        TokenKind.Less => "<",
        TokenKind.LessEqual => "<=",
        TokenKind.Greater => ">",
        TokenKind.GreaterEqual => ">=",
        TokenKind.Equal => "==",
        TokenKind.NotEqual => "!=",
        TokenKind.And => "&&",
        TokenKind.Or => "||",
        _ => op.ToString(),
    };
}
