namespace Trading.Live.Journal;

/// <summary>The file is not a journal this version can read; the message is one line naming the file.</summary>
public sealed class JournalFormatException(string message) : Exception(message);
