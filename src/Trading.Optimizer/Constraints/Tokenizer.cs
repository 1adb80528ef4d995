using System.Globalization;

namespace Trading.Optimizer.Constraints;

/// <summary>
/// Splits a <c>--where</c> expression into tokens. Names are <c>[A-Za-z_][A-Za-z0-9_]*</c>, and may contain a
/// hyphen followed by a letter (kebab-case parameter names such as <c>stop-loss</c>); so <c>a-b</c> is one name and
/// a subtraction must be written <c>a - b</c> (the unknown-name error says so). Numbers are invariant-culture decimals
/// with an optional exponent. Anything else is an error naming the character and its column.
/// </summary>
internal static class Tokenizer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                i = ScanNumber(text, i);
                var s = text[start..i];
                if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                {
                    throw Error(text, start, $"bad number '{s}'");
                }

                tokens.Add(new Token(TokenKind.Number, s, value, start));
                continue;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                i++;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'
                    || (text[i] == '-' && i + 1 < text.Length && char.IsAsciiLetter(text[i + 1]))))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Name, text[start..i], 0, start));
                continue;
            }

            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            (TokenKind kind, int length) = (c, next) switch
            {
                ('<', '=') => (TokenKind.LessEqual, 2),
                ('>', '=') => (TokenKind.GreaterEqual, 2),
                ('=', '=') => (TokenKind.Equal, 2),
                ('!', '=') => (TokenKind.NotEqual, 2),
                ('&', '&') => (TokenKind.And, 2),
                ('|', '|') => (TokenKind.Or, 2),
                ('<', _) => (TokenKind.Less, 1),
                ('>', _) => (TokenKind.Greater, 1),
                ('!', _) => (TokenKind.Not, 1),
                ('+', _) => (TokenKind.Plus, 1),
                ('-', _) => (TokenKind.Minus, 1),
                ('*', _) => (TokenKind.Star, 1),
                ('/', _) => (TokenKind.Slash, 1),
                ('(', _) => (TokenKind.LeftParen, 1),
                (')', _) => (TokenKind.RightParen, 1),
                ('=', _) => throw Error(text, i, "'=' is not an operator; compare with '=='"),
                ('&', _) => throw Error(text, i, "'&' is not an operator; use '&&'"),
                ('|', _) => throw Error(text, i, "'|' is not an operator; use '||'"),
                _ => throw Error(text, i, $"unexpected character '{c}'"),
            };
            tokens.Add(new Token(kind, text.Substring(i, length), 0, i));
            i += length;
        }

        tokens.Add(new Token(TokenKind.End, "end of expression", 0, text.Length));
        return tokens;
    }

    private static int ScanNumber(string text, int i)
    {
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
        {
            i++;
        }

        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            var j = i + 1;
            if (j < text.Length && (text[j] == '+' || text[j] == '-'))
            {
                j++;
            }

            if (j < text.Length && char.IsAsciiDigit(text[j]))
            {
                i = j;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
            }
        }

        return i;
    }

    internal static OptimizerException Error(string text, int position, string what) =>
        new($"--where \"{text}\": {what} at column {position + 1}");
}
