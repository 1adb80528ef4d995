using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Quant.Cli;

/// <summary>
/// Turns System.CommandLine's parse errors into the one line <c>quant</c> prints. By default (3.0.0) the library writes
/// every error in red followed by the whole help text and exits 1; users get a screenful for a typo, and scripts get
/// the wrong exit code. Here: the first error, the command it belongs to, and where to look, on one line.
/// </summary>
internal static partial class ParseErrors
{
    /// <summary>E.g. <c>backtest: unrecognized command or argument '--fe' (see 'quant backtest --help')</c>.</summary>
    public static string OneLine(ParseResult parse)
    {
        var message = SwitchGivenAValue(parse) ?? InWords(First(parse).Message.ReplaceLineEndings(" ").Trim().TrimEnd('.'));
        if (message.Length > 1 && char.IsUpper(message[0]) && !char.IsUpper(message[1]))
        {
            message = char.ToLowerInvariant(message[0]) + message[1..];
        }

        var path = CommandPath(parse.CommandResult.Command);
        var prefix = path.Length == 0 ? string.Empty : path + ": ";
        var help = path.Length == 0 ? "quant --help" : $"quant {path} --help";
        return $"{prefix}{message} (see '{help}')";
    }

    /// <summary>
    /// The library names the CLR type a value failed to parse as (<c>as expected type 'System.Decimal'</c>); users
    /// read <c>--fee: expected a number such as 0.001, got 'abc'</c> instead.
    /// </summary>
    internal static string InWords(string message)
    {
        var m = TypeError().Match(message);
        if (!m.Success)
        {
            return message;
        }

        var type = m.Groups["type"].Value;
        var inner = NullableOf().Match(type) is { Success: true } n ? n.Groups["inner"].Value : type;
        var words = inner switch
        {
            "System.Decimal" or "System.Double" or "System.Single" => "a number such as 0.5",
            "System.Int32" or "System.Int64" or "System.Int16" or "System.Byte" => "a whole number such as 10",
            "System.UInt32" or "System.UInt64" or "System.UInt16" => "a whole number such as 10",
            "System.Boolean" => "true or false",
            "System.TimeSpan" => "a duration such as 00:00:10",
            "System.Uri" => "a URL",
            "System.DateTime" or "System.DateTimeOffset" => "a date such as 2024-03-01",
            _ => "a value of the form " + inner[(inner.LastIndexOf('.') + 1)..],
        };
        return $"{m.Groups["option"].Value}: expected {words}, got '{m.Groups["value"].Value}'";
    }

    /// <summary>
    /// A switch takes no value but the library still accepts true or false after it, so <c>--close-at-end maybe</c> (or
    /// <c>=maybe</c>) leaves <c>maybe</c> unmatched and the library says only "unrecognized argument 'maybe'". When the
    /// first unmatched token follows a switch, the switch is named with what it takes instead; null otherwise.
    /// </summary>
    private static string? SwitchGivenAValue(ParseResult parse)
    {
        if (parse.UnmatchedTokens.Count == 0)
        {
            return null;
        }

        var value = parse.UnmatchedTokens[0];
        var tokens = parse.Tokens;
        for (var i = 1; i < tokens.Count; i++)
        {
            if (tokens[i].Value == value && tokens[i - 1].Type == TokenType.Option
                && FindOption(parse.CommandResult.Command, tokens[i - 1].Value) is { } option && option.ValueType == typeof(bool))
            {
                return $"{option.Name}: a switch, expected no value (or true or false), got '{value}'";
            }
        }

        return null;
    }

    // The option named `name` (or one of its aliases) on `command` or, recursive ones such as --verbose, above it.
    private static Option? FindOption(Command command, string name)
    {
        for (Command? c = command; c is not null; c = Parent(c))
        {
            foreach (var option in c.Options)
            {
                if (option.Name == name || option.Aliases.Contains(name))
                {
                    return option;
                }
            }
        }

        return null;
    }

    [GeneratedRegex(@"^cannot parse argument '(?<value>.*)' for option '(?<option>[^']*)' as expected type '(?<type>[^']*)'$", RegexOptions.IgnoreCase)]
    private static partial Regex TypeError();

    [GeneratedRegex(@"^System\.Nullable`1\[(?<inner>[^\]]+)\]$")]
    private static partial Regex NullableOf();

    // A typo'd command also leaves "required command was not provided": the unrecognized token is the useful one.
    private static System.CommandLine.Parsing.ParseError First(ParseResult parse)
    {
        if (parse.UnmatchedTokens.Count > 0)
        {
            var token = parse.UnmatchedTokens[0];
            foreach (var e in parse.Errors)
            {
                if (e.Message.Contains($"'{token}'", StringComparison.Ordinal))
                {
                    return e;
                }
            }
        }

        return parse.Errors[0];
    }

    internal static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null and not RootCommand; c = Parent(c))
        {
            names.Add(c.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    private static Command? Parent(Command command)
    {
        foreach (var parent in command.Parents)
        {
            if (parent is Command c)
            {
                return c;
            }
        }

        return null;
    }
}
