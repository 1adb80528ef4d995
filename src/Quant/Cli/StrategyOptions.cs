using System.CommandLine;
using System.CommandLine.Parsing;
using Trading.Core.Strategies;

namespace Quant.Cli;

/// <summary>
/// The strategy options every strategy-running command shares: <c>--strategy NAME</c> (default <c>sma-cross</c>, or the
/// <c>strategy</c> setting), <c>--strategy-assembly PATH</c> (repeatable; loads a user's strategies before the name is
/// looked up) and <c>--param k=v</c> (repeatable, and <c>--param k1=v1,k2=v2</c>). Create one per command, add it with
/// <see cref="AddTo"/>, and read it in the command's action with <see cref="Resolve"/>.
/// </summary>
internal sealed class StrategyOptions
{
    public const string DefaultStrategy = "sma-cross";

    public StrategyOptions(CliContext context, string command, bool withStrategy = true)
    {
        Strategy = withStrategy
            ? new Option<string>("--strategy") { Description = "Strategy name (see 'quant strategies')", HelpName = "NAME" }
                .Configured(context, command, DefaultStrategy)
            : null;
        Assemblies = new Option<string[]>("--strategy-assembly")
        {
            Description = "Load strategies from this .NET assembly (repeatable)",
            HelpName = "PATH",
            AllowMultipleArgumentsPerToken = false,
        };
        Params = withStrategy
            ? new Option<IReadOnlyList<KeyValuePair<string, string>>>("--param")
            {
                Description = "Strategy parameter NAME=VALUE (repeatable, or comma-separated: fast=10,slow=30)",
                HelpName = "NAME=VALUE",
                AllowMultipleArgumentsPerToken = false,
                Arity = ArgumentArity.ZeroOrMore,
                CustomParser = ParseParams,
                DefaultValueFactory = _ => [],
            }
            : null;
    }

    /// <summary><c>--strategy</c>; null when the command lists strategies rather than running one.</summary>
    public Option<string>? Strategy { get; }

    /// <summary><c>--strategy-assembly</c>, repeatable.</summary>
    public Option<string[]> Assemblies { get; }

    /// <summary><c>--param</c>: the NAME=VALUE pairs in command-line order; null when the command has no strategy.</summary>
    public Option<IReadOnlyList<KeyValuePair<string, string>>>? Params { get; }

    public void AddTo(Command command)
    {
        if (Strategy is not null)
        {
            command.Options.Add(Strategy);
        }

        command.Options.Add(Assemblies);
        if (Params is not null)
        {
            command.Options.Add(Params);
        }
    }

    /// <summary>The built-in strategies plus those of every <c>--strategy-assembly</c>; a load failure is a usage error naming the flag.</summary>
    public StrategyRegistry Registry(ParseResult parse)
    {
        var registry = StrategyRegistry.CreateDefault();
        foreach (var path in parse.GetValue(Assemblies) ?? [])
        {
            try
            {
                registry.LoadAssembly(path);
            }
            catch (StrategyLoadException e)
            {
                throw CliException.Usage($"--strategy-assembly: {e.Message}");
            }
        }

        return registry;
    }

    /// <summary>
    /// The chosen strategy with its defaults overridden by <c>--param</c>, validated. Unknown strategy, unknown parameter,
    /// unparsable or out-of-range value: a usage error naming the flag.
    /// </summary>
    public StrategyChoice Resolve(ParseResult parse)
    {
        if (Strategy is null || Params is null)
        {
            throw new InvalidOperationException("these options were created without --strategy");
        }

        var registry = Registry(parse);
        var name = parse.GetValue(Strategy) ?? DefaultStrategy;
        StrategyDescriptor descriptor;
        try
        {
            descriptor = registry.Get(name);
        }
        catch (StrategyLoadException e)
        {
            throw CliException.Usage($"--strategy: {e.Message}");
        }

        var overrides = parse.GetValue(Params) ?? [];
        try
        {
            return new StrategyChoice(registry, descriptor, descriptor.Bind(overrides), overrides);
        }
        catch (StrategyParameterException e)
        {
            throw CliException.Usage($"--param: {e.Message}");
        }
    }

    private static IReadOnlyList<KeyValuePair<string, string>> ParseParams(ArgumentResult result)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var token in result.Tokens)
        {
            foreach (var item in token.Value.Split(',', StringSplitOptions.TrimEntries))
            {
                var eq = item.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || eq == item.Length - 1)
                {
                    result.AddError($"--param: expected NAME=VALUE, got '{token.Value}'");
                    return pairs;
                }

                var name = item[..eq].Trim();
                if (pairs.Exists(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)))
                {
                    result.AddError($"--param: parameter '{name}' given twice");
                    return pairs;
                }

                pairs.Add(new KeyValuePair<string, string>(name, item[(eq + 1)..].Trim()));
            }
        }

        return pairs;
    }
}
