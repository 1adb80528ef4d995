using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Trading.Core.Orders;

namespace Trading.Backtest.Results;

/// <summary>
/// Builds <see cref="OrderListHash"/> fill by fill: lines are written into a buffer and hashed in large chunks (one
/// SHA-256 call per ~16 KiB instead of one per fill); a run whose lines all fit in the buffer (every optimizer run)
/// hashes them in one call at the end and never creates an incremental hash object. The digest is the same either
/// way: SHA-256 of the concatenated lines. The buffer is taken from and returned to a per-thread cache, so a sweep's
/// runs do not allocate one each. Trap: call <see cref="Finish"/> exactly once (it returns the buffer); not thread-safe.
/// </summary>
internal sealed class OrderListHasher
{
    private const int BufferBytes = 16 * 1024;

    [ThreadStatic]
    private static byte[]? t_spare;

    private byte[]? _buffer;
    private int _used;
    private IncrementalHash? _hash;

    public void Append(long time, OrderSide side, decimal price, decimal quantity)
    {
        var buffer = _buffer ??= Rent();
        if (buffer.Length - _used < OrderListHash.MaxLineBytes)
        {
            Flush(buffer);
        }

        // At least MaxLineBytes are free from _used (flushed above otherwise): the line is written without a span.
        _used += OrderListHash.WriteLine(time, side, price, quantity, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(buffer), _used));
    }

    /// <summary>The lower-case hex digest of every line appended.</summary>
    public string Finish()
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var data = _buffer is null ? [] : _buffer.AsSpan(0, _used);
        if (_hash is null)
        {
            SHA256.HashData(data, digest);
        }
        else
        {
            _hash.AppendData(data);
            _hash.GetHashAndReset(digest);
            _hash.Dispose();
            _hash = null;
        }

        if (_buffer is not null)
        {
            t_spare = _buffer;
            _buffer = null;
        }

        _used = 0;
        return OrderListHash.ToHex(digest);
    }

    private void Flush(byte[] buffer)
    {
        _hash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        _hash.AppendData(buffer, 0, _used);
        _used = 0;
    }

    private static byte[] Rent()
    {
        var spare = t_spare;
        t_spare = null;
        return spare ?? new byte[BufferBytes];
    }
}
