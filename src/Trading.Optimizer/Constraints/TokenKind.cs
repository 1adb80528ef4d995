namespace Trading.Optimizer.Constraints;

/// <summary>The lexical classes of the <c>--where</c> language.</summary>
internal enum TokenKind : byte
{
    Number,
    Name,
    Plus,
    Minus,
    Star,
    Slash,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Equal,
    NotEqual,
    And,
    Or,
    Not,
    LeftParen,
    RightParen,
    End,
}
