namespace Trading.Study;

/// <summary>A study that cannot be used as asked (a different definition, a foreign schema, a lost database): one line for the user.</summary>
public sealed class StudyException(string message, Exception? inner = null) : Exception(message, inner);
