using System.Globalization;

namespace Trading.Sim.Api;

/// <summary>
/// A request's parameters as strings (REST query/body pairs, or WebSocket API <c>params</c> values rendered as text),
/// with Binance's validation errors for missing or malformed values.
/// </summary>
internal sealed class ApiParams(IReadOnlyDictionary<string, string> values)
{
    private const int MaxDecimals = 8;

    public IReadOnlyDictionary<string, string> Values { get; } = values;

    public string? Get(string name) => Values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    public bool Has(string name) => Get(name) is not null;

    public string Required(string name) => Get(name) ?? throw ApiException.Mandatory(name);

    public long? Long(string name)
    {
        var raw = Get(name);
        if (raw is null)
        {
            return null;
        }

        return long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw ApiException.Mandatory(name);
    }

    /// <summary>A DECIMAL parameter: digits with an optional fraction; more than 8 decimals is -1111.</summary>
    public decimal? Decimal(string name)
    {
        var raw = Get(name);
        if (raw is null)
        {
            return null;
        }

        foreach (var ch in raw)
        {
            if (!char.IsAsciiDigit(ch) && ch != '.')
            {
                throw new ApiException(400, -1100,
                    $"Illegal characters found in parameter '{name}'; legal range is '^([0-9]{{1,20}})(\\.[0-9]{{1,20}})?$'.");
            }
        }

        if (!decimal.TryParse(raw, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v))
        {
            throw ApiException.Mandatory(name);
        }

        var dot = raw.IndexOf('.');
        if (dot >= 0 && raw.AsSpan(dot + 1).TrimEnd('0').Length > MaxDecimals)
        {
            throw new ApiException(400, -1111, $"Parameter '{name}' has too much precision.");
        }

        return v;
    }

    public bool? Bool(string name) => Get(name) switch
    {
        null => null,
        "true" => true,
        "false" => false,
        _ => throw ApiException.Invalid(name),
    };
}
