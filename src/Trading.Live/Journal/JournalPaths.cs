using System.Security.Cryptography;
using System.Text;

namespace Trading.Live.Journal;

/// <summary>
/// Where a journal lives when <c>--journal</c> is not given: one file per venue, account and symbol under the user's
/// data directory, <c>{data}/quant/journals/{exchange}-{account}-{symbol}.db</c>. The account part is the first 12 hex
/// digits of SHA-256 of the API key: stable for one account, and the key itself never reaches a file name or a log.
/// </summary>
public static class JournalPaths
{
    /// <summary>The default journal of <paramref name="exchange"/> / <paramref name="apiKey"/> / <paramref name="symbol"/> under <paramref name="dataDirectory"/>.</summary>
    /// <param name="dataDirectory">Null for the user's data directory (<c>$XDG_DATA_HOME</c>, else <c>~/.local/share</c> on Linux).</param>
    public static string Default(string exchange, string? apiKey, string symbol, string? dataDirectory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(exchange);
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        var root = dataDirectory ?? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        var name = $"{Safe(exchange)}-{AccountTag(apiKey)}-{Safe(symbol.ToUpperInvariant())}.db";
        return Path.Combine(root, "quant", "journals", name);
    }

    /// <summary>12 hex digits identifying the account of <paramref name="apiKey"/> (<c>paper</c> without a key).</summary>
    public static string AccountTag(string? apiKey) =>
        string.IsNullOrEmpty(apiKey) ? "paper" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)))[..12];

    private static string Safe(string s)
    {
        var b = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            b.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }

        return b.ToString();
    }
}
