namespace Trading.Live.Journal;

/// <summary>Another process (or another handle in this one) holds the journal: its message is the one line to print.</summary>
public sealed class JournalLockedException(string message) : Exception(message);
