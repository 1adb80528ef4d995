using System.Security.Cryptography;
using System.Text;

namespace Trading.Live.Binance;

/// <summary>
/// Binance's HMAC-SHA256 request signature: the lowercase hex of HMAC-SHA256(secret, payload) (binance.md §3.2, §3.3).
/// The secret's bytes are held privately and never formatted: <see cref="ToString"/> says nothing about them, so an
/// accidental log of the signer leaks nothing.
/// <para>Ed25519 and RSA keys are not supported: .NET 10's BCL has RSA but no standalone Ed25519 (Ed25519 appears only
/// inside Composite ML-DSA), and HMAC keys are still accepted by every method used here, including
/// <c>userDataStream.subscribe.signature</c>.</para>
/// <para>Allocation: <see cref="Sign"/> uses the one-shot <see cref="HMACSHA256.HashData(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/>
/// into a stack buffer, so signing allocates nothing.</para>
/// </summary>
public sealed class HmacSigner
{
    /// <summary>Characters in a signature: 32 bytes as hex.</summary>
    public const int SignatureLength = 64;

    private readonly byte[] _key;

    public HmacSigner(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _key = Encoding.UTF8.GetBytes(secret);
    }

    /// <summary>Writes the 64 lowercase hex characters (UTF-8) of the payload's signature into <paramref name="destination"/>.</summary>
    public void Sign(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        if (destination.Length < SignatureLength)
        {
            throw new ArgumentException($"need {SignatureLength} bytes for a signature", nameof(destination));
        }

        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, payload, mac);
        for (var i = 0; i < mac.Length; i++)
        {
            destination[2 * i] = Hex(mac[i] >> 4);
            destination[(2 * i) + 1] = Hex(mac[i] & 0xF);
        }
    }

    /// <summary>The signature of a text payload (UTF-8), as a string; for REST and tests, not the hot path.</summary>
    public string Sign(string payload)
    {
        Span<byte> hex = stackalloc byte[SignatureLength];
        Sign(Encoding.UTF8.GetBytes(payload), hex);
        return Encoding.ASCII.GetString(hex);
    }

    public override string ToString() => "HmacSigner(secret hidden)";

    private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
}
