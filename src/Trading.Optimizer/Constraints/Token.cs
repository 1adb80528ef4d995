namespace Trading.Optimizer.Constraints;

/// <summary>One token: its kind, its text as typed, its value (numbers) and where it starts (0-based, for messages).</summary>
internal readonly record struct Token(TokenKind Kind, string Text, double Number, int Position);
