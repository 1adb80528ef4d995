using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Quant.Cli;

/// <summary>
/// Factories for options that several commands share, so that they read the same everywhere. Every option whose default
/// may be configured takes its default from <see cref="QuantSettings"/> (see there for the lookup) through
/// <see cref="Configured{T}"/>.
/// </summary>
internal static class CommonOptions
{
    /// <summary><c>--json</c>: exactly one JSON object on stdout instead of the human output.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object on stdout instead of tables" };

    /// <summary><c>--verbose</c>: on the root, recursive; QuantCli also looks at it to print stack traces.</summary>
    public static Option<bool> Verbose() =>
        new("--verbose") { Description = "More output; stack traces on errors", Recursive = true };

    /// <summary>
    /// Makes <paramref name="option"/> default to the setting <c>command:key</c> / <c>key</c> when present, else
    /// <paramref name="fallback"/>. The setting's text is parsed by <paramref name="parse"/> (invariant culture); a bad
    /// value is a usage error naming the setting. The settings are read only when the option is not on the command line.
    /// </summary>
    public static Option<T> Configured<T>(this Option<T> option, CliContext context, string command, T fallback, Func<string, T?> parse)
        where T : struct
    {
        var key = SettingKey(option);
        option.DefaultValueFactory = _ =>
        {
            var text = context.Settings.Get(command, key);
            if (text is null)
            {
                return fallback;
            }

            return parse(text) ?? throw BadSetting(option, command, key, text);
        };
        return option;
    }

    /// <summary>A string option whose default comes from the settings (see the generic overload).</summary>
    public static Option<string> Configured(this Option<string> option, CliContext context, string command, string fallback)
    {
        var key = SettingKey(option);
        option.DefaultValueFactory = _ => context.Settings.Get(command, key) ?? fallback;
        return option;
    }

    /// <summary>A decimal option whose default comes from the settings.</summary>
    public static Option<decimal> Configured(this Option<decimal> option, CliContext context, string command, decimal fallback) =>
        option.Configured(context, command, fallback, ParseDecimal);

    /// <summary>A double option whose default comes from the settings.</summary>
    public static Option<double> Configured(this Option<double> option, CliContext context, string command, double fallback) =>
        option.Configured(context, command, fallback, ParseDouble);

    /// <summary>An int option whose default comes from the settings.</summary>
    public static Option<int> Configured(this Option<int> option, CliContext context, string command, int fallback) =>
        option.Configured(context, command, fallback, ParseInt);

    /// <summary>
    /// A parser for <c>Option&lt;T&gt;.CustomParser</c>: one token parsed with <paramref name="parse"/>, or a parse error
    /// that names the option and shows what was expected (one line). Use it for every numeric option so the message is
    /// ours, not the library's ("Cannot parse argument ... of type System.Decimal").
    /// </summary>
    public static Func<ArgumentResult, T> Parser<T>(string expected, Func<string, T?> parse) where T : struct => result =>
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (parse(text) is { } value)
        {
            return value;
        }

        result.AddError($"{OptionName(result)}: expected {expected}, got '{text}'");
        return default;
    };

    /// <summary>Parses invariant-culture decimals ("0.001", "1e-3"); null when not a number.</summary>
    public static decimal? ParseDecimal(string s) =>
        decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>Parses invariant-culture finite doubles; null when not a finite number.</summary>
    public static double? ParseDouble(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

    /// <summary>Parses invariant-culture integers; null when not an integer.</summary>
    public static int? ParseInt(string s) =>
        int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>The option name of the argument being parsed (<c>--fee</c>), for messages.</summary>
    public static string OptionName(SymbolResult result) =>
        result.Parent is OptionResult o ? o.Option.Name : result is OptionResult self ? self.Option.Name : "argument";

    private static CliException BadSetting(Option option, string command, string key, string text) =>
        CliException.Usage($"{QuantSettings.Describe(command, key)}: bad value '{text}' for {option.Name}");

    private static string SettingKey(Option option) => option.Name.TrimStart('-').Replace('-', '_');
}
