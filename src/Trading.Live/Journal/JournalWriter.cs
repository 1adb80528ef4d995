using EventLoop;
using EventLoop.Workers;
using Microsoft.Data.Sqlite;

namespace Trading.Live.Journal;

/// <summary>
/// The journal's writer, on the event loop's loop → worker channel (<see cref="WorkerChannel{T}"/>): the loop thread
/// appends records (<see cref="TryAppend"/>: a copy into a preallocated ring, no lock, no allocation, never waits on
/// disk); the channel's dedicated worker thread takes them in order and writes each batch (up to
/// <see cref="MaxBatch"/> records) in one transaction, so a burst costs one fsync, not one per record.
/// <para><b>Durability barrier.</b> Every record gets a position (1, 2, 3, ... in append order). After each commit the
/// channel acknowledges the batch back to the loop as a completion: <c>onDurable(position, error)</c> runs on the loop
/// thread with the highest committed position (cumulative, coalesced). The engine appends an intent, holds the order
/// (<see cref="DurabilityGate{T}"/>) and sends it from <c>onDurable</c> once <see cref="IsDurable"/>(its position)
/// holds; the loop thread never waits for the disk. While records are unacknowledged the channel keeps the loop alive.</para>
/// <para><b>Failure.</b> If a write fails the worker stops, <c>onDurable</c> runs once with the error, <see cref="Fault"/>
/// says why, nothing more becomes durable and <see cref="TryAppend"/> returns false: the engine must stop placing
/// orders. <see cref="TryAppend"/> also returns false when the ring is full (the disk is behind by
/// <see cref="Capacity"/> records): refuse the intent rather than send it undurable.</para>
/// <para>Threading: <see cref="TryAppend"/> on the loop thread (or the thread owning the loop while no Run is in
/// progress); <see cref="DurablePosition"/>, <see cref="IsDurable"/> and <see cref="Fault"/> from any thread.</para>
/// </summary>
public sealed class JournalWriter : IDisposable
{
    public const int MaxBatch = 1024;

    private readonly JournalLock _lock;
    private readonly SqliteConnection _connection;
    private readonly JournalStatements _statements;
    private readonly WorkerChannel<JournalRecord> _channel;
    private readonly Action<long, Exception?>? _onDurable;
    private bool _disposed;

    private JournalWriter(string path, JournalLock fileLock, SqliteConnection connection, Loop loop, int capacity, Action<long, Exception?>? onDurable)
    {
        Path = path;
        _lock = fileLock;
        _connection = connection;
        _statements = new JournalStatements(connection);
        _onDurable = onDurable;
        _channel = new WorkerChannel<JournalRecord>(loop, capacity, MaxBatch, Commit,
            onDurable is null ? null : (_, acked, error) => _onDurable!(acked, error), "quant-journal");
        Capacity = capacity;
    }

    /// <summary>Test hook: runs on the worker inside each batch's transaction, after its records are written, before the commit.</summary>
    internal Action<SqliteConnection, SqliteTransaction, int>? BeforeCommit { get; set; }

    public string Path { get; }

    /// <summary>How many records may wait for the disk before <see cref="TryAppend"/> refuses.</summary>
    public int Capacity { get; }

    /// <summary>Position of the last record appended (0 before any). Loop thread.</summary>
    public long AppendedPosition => _channel.Written;

    /// <summary>Position of the last record committed to disk (0 before any). Any thread.</summary>
    public long DurablePosition => _channel.AckedThrough;

    /// <summary>Why the worker stopped writing, or null while it is healthy. Any thread.</summary>
    public Exception? Fault => _channel.Error;

    /// <summary>
    /// Opens (creating if needed) the journal at <paramref name="path"/> for this process: takes its lock (a second
    /// writer gets <see cref="JournalLockedException"/>), switches it to WAL, and starts the worker thread on
    /// <paramref name="loop"/>'s channel. <paramref name="onDurable"/> runs on the loop thread after commits.
    /// <paramref name="capacity"/> is a power of two; the ring is preallocated (a record is about 250 bytes, so the
    /// default 16,384 slots hold 4 MB), and it bounds how far the disk may fall behind before intents are refused.
    /// </summary>
    public static JournalWriter Open(string path, Loop loop, Action<long, Exception?>? onDurable = null, int capacity = 16_384)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(loop);
        var full = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(full) is { } dir)
        {
            Directory.CreateDirectory(dir);
        }

        var fileLock = JournalLock.Acquire(full);
        try
        {
            return new JournalWriter(full, fileLock, JournalSchema.OpenForWriting(full), loop, capacity, onDurable);
        }
        catch
        {
            fileLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Appends <paramref name="record"/> and returns its position, or false (changing nothing) when the ring is full
    /// or the writer has failed. Never blocks, never allocates. Loop thread only.
    /// </summary>
    public bool TryAppend(in JournalRecord record, out long position)
    {
        if (_disposed)
        {
            position = 0;
            return false;
        }

        return _channel.TryWrite(record, out position);
    }

    /// <summary>True when the record at <paramref name="position"/> (and every one before it) is committed.</summary>
    public bool IsDurable(long position) => position <= _channel.AckedThrough;

    /// <summary>Writes what is queued, stops the worker and releases the lock. Blocks until the worker is done: call it after the loop has stopped.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _channel.Dispose();
        _statements.Dispose();
        _connection.Dispose();
        _lock.Dispose();
    }

    private void Commit(ReadOnlySpan<JournalRecord> batch)
    {
        using var tx = _connection.BeginTransaction();
        _statements.Enlist(tx);
        foreach (ref readonly var r in batch)
        {
            _statements.Write(r);
        }

        BeforeCommit?.Invoke(_connection, tx, batch.Length);
        tx.Commit();
    }
}
