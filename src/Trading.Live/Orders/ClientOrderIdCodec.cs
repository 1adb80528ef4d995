using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;

namespace Trading.Live.Orders;

/// <summary>
/// The wire form of this engine's client order ids: <c>q</c> + the run id (8 base-36 characters) + <c>-</c> + the order's
/// sequence number in the run, e.g. <c>q0k3j9x2a-17</c>. Inside the engine an order is its sequence number (a long);
/// the string exists only at the venue's edge. Unique across restarts because every run draws a fresh run id (36^8
/// ≈ 2.8e12 values) and numbers its orders from 1; a venue id that does not carry this run's prefix is foreign (an
/// earlier run's order, or one placed by hand) and is left to reconciliation. At most 29 characters, within
/// Binance's 36 and its <c>[a-zA-Z0-9-_]</c> alphabet.
/// </summary>
public sealed class ClientOrderIdCodec
{
    private const int RunLength = 8;
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
    private readonly byte[] _prefix;
    private readonly Dictionary<string, long> _aliases = new(StringComparer.Ordinal);
    private readonly Dictionary<long, byte[]> _aliasIds = [];

    /// <summary>Uses <paramref name="runId"/> (taken modulo 36^8); pass a fixed value for reproducible runs.</summary>
    public ClientOrderIdCodec(long runId)
    {
        var value = (ulong)runId % 2_821_109_907_456UL; // 36^8
        Span<char> run = stackalloc char[RunLength];
        for (var i = RunLength - 1; i >= 0; i--)
        {
            run[i] = Alphabet[(int)(value % 36)];
            value /= 36;
        }

        RunId = new string(run);
        Prefix = "q" + RunId + "-";
        _prefix = System.Text.Encoding.ASCII.GetBytes(Prefix);
    }

    /// <summary>This run's id, 8 base-36 characters.</summary>
    public string RunId { get; }

    /// <summary>What every id of this run starts with.</summary>
    public string Prefix { get; }

    /// <summary>A codec with a random run id (cryptographic RNG: two runs must not collide).</summary>
    public static ClientOrderIdCodec NewRun()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return new ClientOrderIdCodec(BitConverter.ToInt64(bytes) & long.MaxValue);
    }

    /// <summary>The wire id of sequence number <paramref name="sequence"/> (≥ 1).</summary>
    public string Format(long sequence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        if (_aliasIds.TryGetValue(sequence, out var alias))
        {
            return System.Text.Encoding.ASCII.GetString(alias);
        }

        return Prefix + sequence.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Writes the wire id into <paramref name="destination"/> (UTF-8); returns its length.</summary>
    public int Format(long sequence, Span<byte> destination)
    {
        if (_aliasIds.Count > 0 && _aliasIds.TryGetValue(sequence, out var alias))
        {
            alias.CopyTo(destination);
            return alias.Length;
        }

        _prefix.CopyTo(destination);
        if (!Utf8Formatter.TryFormat(sequence, destination[_prefix.Length..], out var n))
        {
            throw new ArgumentException("destination too small for a client order id", nameof(destination));
        }

        return _prefix.Length + n;
    }

    /// <summary>The sequence number of one of this run's ids; false for a foreign or malformed id. Allocation-free.</summary>
    public bool TryParse(ReadOnlySpan<byte> utf8, out long sequence)
    {
        sequence = 0;
        if (!utf8.StartsWith(_prefix))
        {
            // An adopted order of another run (or placed by hand) answers to the sequence it was given here; only then
            // does a foreign id cost a string.
            return _aliases.Count > 0 && utf8.Length <= 36 && _aliases.TryGetValue(System.Text.Encoding.ASCII.GetString(utf8), out sequence);
        }

        var digits = utf8[_prefix.Length..];
        return digits.Length is > 0 and <= 19 && digits[0] != (byte)'0'
            && Utf8Parser.TryParse(digits, out sequence, out var consumed) && consumed == digits.Length && sequence > 0;
    }

    public bool TryParse(string id, out long sequence) => TryParse(System.Text.Encoding.UTF8.GetBytes(id), out sequence);

    /// <summary>
    /// Makes the foreign client id <paramref name="clientOrderId"/> (an adopted order of an earlier run, or one placed by
    /// hand) this run's <paramref name="sequence"/>: it parses to it and formats as itself. Reconciliation only, before
    /// the strategy starts.
    /// </summary>
    internal void Alias(string clientOrderId, long sequence)
    {
        _aliases[clientOrderId] = sequence;
        _aliasIds[sequence] = System.Text.Encoding.ASCII.GetBytes(clientOrderId);
    }

    /// <summary>The run id an id of this format carries (<c>q</c> + 8 base-36 + <c>-</c> + digits); false for any other id.</summary>
    public static bool TryReadRunId(string clientOrderId, out long runId)
    {
        runId = 0;
        if (clientOrderId.Length < RunLength + 3 || clientOrderId[0] != 'q' || clientOrderId[RunLength + 1] != '-')
        {
            return false;
        }

        foreach (var ch in clientOrderId.AsSpan(1, RunLength))
        {
            var digit = Alphabet.IndexOf(ch, StringComparison.Ordinal);
            if (digit < 0)
            {
                return false;
            }

            runId = (runId * 36) + digit;
        }

        return true;
    }
}
