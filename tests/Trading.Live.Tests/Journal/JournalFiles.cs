namespace Trading.Live.Tests.Journal;

/// <summary>A fresh directory for one test's journal files, deleted afterwards.</summary>
internal sealed class JournalFiles : IDisposable
{
    public JournalFiles() => Directory.CreateDirectory(Dir);

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "quant-journal-" + Guid.NewGuid().ToString("N"));

    public string Journal => Path.Combine(Dir, "journal.db");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
