namespace Trading.Live.Journal;

/// <summary>
/// The journal's process lock: <c>PATH.lock</c> held open with <see cref="FileShare.None"/>, which .NET maps to an
/// exclusive <c>flock</c> on Unix (and a share-deny on Windows). The kernel drops it when the holder dies, SIGKILL
/// included, so a crashed run never leaves a stale lock; a second holder — another process, or a second handle in this
/// one — is refused at once with <see cref="JournalLockedException"/>.
/// <para>Trap: advisory on Unix — it keeps out every Quant process, not a tool that ignores it (sqlite3 on the file).</para>
/// </summary>
internal sealed class JournalLock : IDisposable
{
    private readonly FileStream _file;

    private JournalLock(FileStream file) => _file = file;

    public static string LockPathOf(string journalPath) => journalPath + ".lock";

    /// <summary>Takes the lock of <paramref name="journalPath"/>, or throws <see cref="JournalLockedException"/>.</summary>
    public static JournalLock Acquire(string journalPath)
    {
        var path = LockPathOf(journalPath);
        try
        {
            return new JournalLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new JournalLockedException($"journal {journalPath} is in use by another quant process (lock {path}); stop it first");
        }
    }

    public void Dispose() => _file.Dispose();
}
