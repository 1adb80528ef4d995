using Microsoft.Data.Sqlite;

namespace Trading.Live.Journal;

/// <summary>
/// The journal's writer: the loop thread appends records (<see cref="TryAppend"/>: a copy into a preallocated ring, no
/// lock, no allocation, never waits on disk); a dedicated worker thread takes them in order and writes them in batched
/// transactions (up to <see cref="MaxBatch"/> records per commit, so a burst costs one fsync, not one per record).
/// <para><b>Durability barrier.</b> Every record gets a position (1, 2, 3, ... in append order). After each commit the
/// worker publishes <see cref="DurablePosition"/> and calls the <c>onCommitted</c> callback given to <see cref="Open"/>
/// — pass an EventLoop <c>Notifier.Notify</c>, so that the acknowledgement reaches the loop as a completion. The engine
/// appends an intent, parks the order, and sends it from the notifier's callback once
/// <see cref="IsDurable"/>(its position) holds; the loop thread never waits for the disk.</para>
/// <para><b>Failure.</b> If a write fails the worker stops, <see cref="Fault"/> says why, nothing more becomes
/// durable and <see cref="TryAppend"/> returns false: the engine must stop placing orders (nothing can be made durable).
/// <see cref="TryAppend"/> also returns false when the ring is full (the disk is behind by <see cref="Capacity"/>
/// records): refuse the intent rather than send it undurable.</para>
/// <para>Threading: <see cref="TryAppend"/> from one thread only (the loop thread, or any one thread while no loop runs);
/// <see cref="DurablePosition"/>, <see cref="IsDurable"/> and <see cref="Fault"/> from any thread.</para>
/// </summary>
public sealed class JournalWriter : IDisposable
{
    public const int MaxBatch = 1024;

    private readonly JournalLock _lock;
    private readonly SqliteConnection _connection;
    private readonly JournalStatements _statements;
    private readonly SpscRecordChannel<JournalRecord> _ring;
    private readonly IRecordChannel<JournalRecord> _channel;
    private readonly JournalRecord[] _batch = new JournalRecord[MaxBatch];
    private readonly Action? _onCommitted;
    private readonly Thread _worker;
    private long _appended;
    private long _durable;
    private Exception? _fault;
    private bool _disposed;

    private JournalWriter(string path, JournalLock fileLock, SqliteConnection connection, int capacity, Action? onCommitted)
    {
        Path = path;
        _lock = fileLock;
        _connection = connection;
        _statements = new JournalStatements(connection);
        _ring = new SpscRecordChannel<JournalRecord>(capacity);
        _channel = _ring;
        _onCommitted = onCommitted;
        _worker = new Thread(Work) { IsBackground = true, Name = "quant-journal" };
        _worker.Start();
    }

    /// <summary>Test hook: runs on the worker inside each batch's transaction, after its records are written, before the commit.</summary>
    internal Action<SqliteConnection, SqliteTransaction, int>? BeforeCommit { get; set; }

    public string Path { get; }

    /// <summary>How many records may wait for the disk before <see cref="TryAppend"/> refuses.</summary>
    public int Capacity => _ring.Capacity;

    /// <summary>Position of the last record appended (0 before any). Appending thread.</summary>
    public long AppendedPosition => _appended;

    /// <summary>Position of the last record committed to disk (0 before any). Any thread.</summary>
    public long DurablePosition => Volatile.Read(ref _durable);

    /// <summary>Why the worker stopped writing, or null while it is healthy. Any thread.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>
    /// Opens (creating if needed) the journal at <paramref name="path"/> for this process: takes its lock (a second
    /// writer gets <see cref="JournalLockedException"/>), switches it to WAL, and starts the worker thread.
    /// <paramref name="onCommitted"/> runs on the worker thread after every commit; it must be quick and thread-safe
    /// (a <c>Notifier.Notify</c>).
    /// </summary>
    public static JournalWriter Open(string path, Action? onCommitted = null, int capacity = 65_536)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(full) is { } dir)
        {
            Directory.CreateDirectory(dir);
        }

        var fileLock = JournalLock.Acquire(full);
        try
        {
            return new JournalWriter(full, fileLock, JournalSchema.OpenForWriting(full), capacity, onCommitted);
        }
        catch
        {
            fileLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Appends <paramref name="record"/> and returns its position, or false (changing nothing) when the ring is full
    /// or the writer has failed. Never blocks, never allocates. Appending thread only.
    /// </summary>
    public bool TryAppend(in JournalRecord record, out long position)
    {
        if (_disposed || Volatile.Read(ref _fault) is not null || !_channel.TryWrite(record))
        {
            position = 0;
            return false;
        }

        position = ++_appended;
        return true;
    }

    /// <summary>True when the record at <paramref name="position"/> (and every one before it) is committed.</summary>
    public bool IsDurable(long position) => position <= Volatile.Read(ref _durable);

    /// <summary>Writes what is queued, stops the worker and releases the lock. Blocks until the worker is done: call it after the loop has stopped.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _channel.Close();
        _worker.Join();
        _statements.Dispose();
        _connection.Dispose();
        _ring.Dispose();
        _lock.Dispose();
    }

    private void Work()
    {
        try
        {
            while (true)
            {
                // Read the flag before draining: a close seen here was made after the producer's last append.
                var closed = _channel.IsClosed;
                var n = 0;
                while (n < MaxBatch && _channel.TryRead(out _batch[n]))
                {
                    n++;
                }

                if (n > 0)
                {
                    Commit(n);
                    continue;
                }

                if (closed)
                {
                    return;
                }

                _channel.WaitToRead();
            }
        }
        catch (Exception e)
        {
            Volatile.Write(ref _fault, e);
            _onCommitted?.Invoke(); // wake the engine so that it sees the fault
        }
    }

    private void Commit(int n)
    {
        using (var tx = _connection.BeginTransaction())
        {
            _statements.Enlist(tx);
            for (var i = 0; i < n; i++)
            {
                _statements.Write(_batch[i]);
                _batch[i] = default;
            }

            BeforeCommit?.Invoke(_connection, tx, n);
            tx.Commit();
        }

        Volatile.Write(ref _durable, _durable + n);
        _onCommitted?.Invoke();
    }
}
