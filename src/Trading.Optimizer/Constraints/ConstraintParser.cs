namespace Trading.Optimizer.Constraints;

/// <summary>
/// Recursive-descent parser of the <c>--where</c> language into an <see cref="Expr"/> tree, with type checking:
/// <code>
/// or         := and ( '||' and )*
/// and        := not ( '&amp;&amp;' not )*
/// not        := '!' not | comparison
/// comparison := sum ( ('&lt;'|'&lt;='|'&gt;'|'&gt;='|'=='|'!=') sum )?      (not chainable: a &lt; b &lt; c is an error)
/// sum        := product ( ('+'|'-') product )*
/// product    := unary ( ('*'|'/') unary )*
/// unary      := '-' unary | primary
/// primary    := number | name | '(' or ')'
/// </code>
/// The text is data: it is never compiled or run as code. Names resolve against the strategy's parameters; an
/// unknown name is an error listing the known ones.
/// </summary>
internal sealed class ConstraintParser
{
    private readonly string _text;
    private readonly List<Token> _tokens;
    private readonly IReadOnlyList<string> _names;
    private int _pos;

    private ConstraintParser(string text, IReadOnlyList<string> names)
    {
        _text = text;
        _tokens = Tokenizer.Tokenize(text);
        _names = names;
    }

    /// <summary>Parses a whole condition; <paramref name="names"/> are the parameter names in value order.</summary>
    public static Expr Parse(string text, IReadOnlyList<string> names)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new OptimizerException("--where needs a condition such as \"fast < slow\"");
        }

        var parser = new ConstraintParser(text, names);
        var expr = parser.ParseOr();
        var end = parser.Peek;
        if (end.Kind != TokenKind.End)
        {
            throw parser.Error(end, $"unexpected '{end.Text}'");
        }

        if (!expr.IsCondition)
        {
            throw new OptimizerException($"--where \"{text}\": is a number, not a condition; compare it, e.g. \"{text.Trim()} > 0\"");
        }

        return expr;
    }

    private Token Peek => _tokens[_pos];

    private Token Next() => _tokens[_pos++];

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (Peek.Kind == TokenKind.Or)
        {
            var op = Next();
            var right = ParseAnd();
            left = new LogicalExpr(false, Condition(left, op), Condition(right, op));
        }

        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (Peek.Kind == TokenKind.And)
        {
            var op = Next();
            var right = ParseNot();
            left = new LogicalExpr(true, Condition(left, op), Condition(right, op));
        }

        return left;
    }

    private Expr ParseNot()
    {
        if (Peek.Kind == TokenKind.Not)
        {
            var op = Next();
            return new NotExpr(Condition(ParseNot(), op));
        }

        return ParseComparison();
    }

    private Expr ParseComparison()
    {
        var left = ParseSum();
        if (!IsComparison(Peek.Kind))
        {
            return left;
        }

        var op = Next();
        var right = ParseSum();
        var result = new ComparisonExpr(op.Kind, Number(left, op), Number(right, op));
        if (IsComparison(Peek.Kind))
        {
            throw Error(Peek, "comparisons do not chain; write \"a < b && b < c\"");
        }

        return result;
    }

    private Expr ParseSum()
    {
        var left = ParseProduct();
        while (Peek.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Next();
            left = new ArithmeticExpr(op.Kind, Number(left, op), Number(ParseProduct(), op));
        }

        return left;
    }

    private Expr ParseProduct()
    {
        var left = ParseUnary();
        while (Peek.Kind is TokenKind.Star or TokenKind.Slash)
        {
            var op = Next();
            left = new ArithmeticExpr(op.Kind, Number(left, op), Number(ParseUnary(), op));
        }

        return left;
    }

    private Expr ParseUnary()
    {
        if (Peek.Kind == TokenKind.Minus)
        {
            var op = Next();
            return new NegateExpr(Number(ParseUnary(), op));
        }

        return ParsePrimary();
    }

    private Expr ParsePrimary()
    {
        var t = Next();
        switch (t.Kind)
        {
            case TokenKind.Number:
                return new NumberExpr(t.Number);
            case TokenKind.Name:
                for (var i = 0; i < _names.Count; i++)
                {
                    if (string.Equals(_names[i], t.Text, StringComparison.Ordinal))
                    {
                        return new ParameterExpr(t.Text, i);
                    }
                }

                var hint = t.Text.Contains('-', StringComparison.Ordinal) ? "; put spaces around '-' to subtract" : "";
                throw Error(t, $"unknown parameter '{t.Text}' (known: {string.Join(", ", _names)}){hint}");
            case TokenKind.LeftParen:
                var inner = ParseOr();
                var close = Next();
                if (close.Kind != TokenKind.RightParen)
                {
                    throw Error(close, $"expected ')' but found '{close.Text}'");
                }

                return inner;
            default:
                throw Error(t, t.Kind == TokenKind.End ? "expression ends too early" : $"unexpected '{t.Text}'");
        }
    }

    private static bool IsComparison(TokenKind kind) =>
        kind is TokenKind.Less or TokenKind.LessEqual or TokenKind.Greater or TokenKind.GreaterEqual or TokenKind.Equal or TokenKind.NotEqual;

    private Expr Condition(Expr e, Token op) =>
        e.IsCondition ? e : throw Error(op, $"'{op.Text}' needs conditions on both sides, got the number {e}");

    private Expr Number(Expr e, Token op) =>
        !e.IsCondition ? e : throw Error(op, $"'{op.Text}' needs numbers on both sides, got the condition {e}");

    private OptimizerException Error(Token at, string what) => Tokenizer.Error(_text, at.Position, what);
}
