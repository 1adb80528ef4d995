using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Quant.Cli;

/// <summary>
/// Settings that supply option defaults, in increasing precedence: built-in defaults &lt; <c>appsettings.json</c> next to
/// the executable &lt; <c>QUANT_</c> environment variables &lt; the command line (an option given on the command line
/// never consults this class). A setting is looked up as <c>command:key</c>, then <c>key</c>, case-insensitively, where
/// <c>key</c> is the option's name without the dashes, inner dashes as underscores (<c>--slippage-bps</c> →
/// <c>slippage_bps</c>): <c>QUANT_DATA=...</c>, <c>QUANT_BACKTEST__FEE=0.0005</c>, <c>{ "backtest": { "fee": 0.0005 } }</c>.
/// <para>
/// Start-up cost is the reason for the shape: the configuration is built on first use only, and not at all when there is
/// neither a settings file nor a <c>QUANT_</c> variable, so a plain <c>quant backtest</c> never loads
/// Microsoft.Extensions.Configuration. Not thread-safe to build concurrently; the CLI builds it on the main thread.
/// </para>
/// </summary>
internal sealed class QuantSettings
{
    public const string EnvironmentPrefix = "QUANT_";

    private readonly string _file;
    private readonly IDictionary _environment;
    private IConfiguration? _configuration;
    private bool _built;

    /// <param name="file">The JSON settings file (need not exist).</param>
    /// <param name="environment">Environment variables (name → value); only those starting with <c>QUANT_</c> count.</param>
    public QuantSettings(string file, IDictionary environment)
    {
        _file = file;
        _environment = environment;
    }

    /// <summary>The process's settings: <c>appsettings.json</c> in the executable's folder and the real environment.</summary>
    public static QuantSettings FromProcess() =>
        new(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), Environment.GetEnvironmentVariables());

    /// <summary>No settings at all: every option falls back to its built-in default.</summary>
    public static QuantSettings None { get; } = new(string.Empty, new Hashtable());

    /// <summary>The configured value of <paramref name="key"/> for <paramref name="command"/>, or null when unset or empty.</summary>
    public string? Get(string? command, string key) => Configuration() is { } configuration ? Lookup(configuration, command, key) : null;

    // Apart from Get, so that a run without settings never resolves a configuration type (loading the assembly).
    private static string? Lookup(IConfiguration configuration, string? command, string key)
    {
        var value = command is null ? null : configuration[$"{command}:{key}"];
        if (string.IsNullOrEmpty(value))
        {
            value = configuration[key];
        }

        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>Where a setting may come from, for error messages: <c>QUANT_BACKTEST__FEE / backtest:fee</c>.</summary>
    public static string Describe(string? command, string key) =>
        command is null
            ? $"setting '{key}' ({EnvironmentPrefix}{key.ToUpperInvariant()})"
            : $"setting '{command}:{key}' ({EnvironmentPrefix}{command.ToUpperInvariant()}__{key.ToUpperInvariant()})";

    /// <summary>The whole configuration, for the generic host of long-running commands (empty when nothing is set).</summary>
    public IConfiguration Load() => Configuration() ?? new ConfigurationBuilder().Build();

    private IConfiguration? Configuration()
    {
        if (!_built)
        {
            var hasFile = _file.Length > 0 && File.Exists(_file);
            var env = EnvironmentSettings();
            _configuration = hasFile || env.Count > 0 ? Build(hasFile, env) : null;
            _built = true;
        }

        return _configuration;
    }

    // Only called when there is something to read: its ConfigurationBuilder is what loads Microsoft.Extensions.Configuration.
    private IConfiguration Build(bool hasFile, Dictionary<string, string?> env)
    {
        var builder = new ConfigurationBuilder();
        if (hasFile)
        {
            builder.AddJsonFile(_file, optional: false, reloadOnChange: false);
        }

        // The prefix is stripped and "__" separates sections, as AddEnvironmentVariables(prefix) does; taken from the
        // dictionary given, so that tests need not touch the process environment.
        builder.AddInMemoryCollection(env);
        return builder.Build();
    }

    private Dictionary<string, string?> EnvironmentSettings()
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry e in _environment)
        {
            if (e.Key is string name && name.Length > EnvironmentPrefix.Length
                && name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                result[name[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal)] = e.Value as string;
            }
        }

        return result;
    }
}
