namespace Quant.Cli;

/// <summary>Parses <c>--param name=value</c> values (repeatable; one value may hold several pairs separated by commas).</summary>
internal static class ParamParser
{
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(IEnumerable<string> values, string flag = "--param")
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var value in values)
        {
            foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = part.IndexOf('=');
                if (eq <= 0 || eq == part.Length - 1)
                {
                    throw CliException.Usage($"{flag} expects name=value, got '{part}'");
                }

                var name = part[..eq].Trim();
                if (pairs.Any(p => p.Key == name))
                {
                    throw CliException.Usage($"{flag} gives '{name}' twice");
                }

                pairs.Add(new KeyValuePair<string, string>(name, part[(eq + 1)..].Trim()));
            }
        }

        return pairs;
    }
}
