namespace Trading.Live.Journal;

/// <summary>The base asset held and the free quote at <see cref="Time"/>, as the engine journalled them.</summary>
public readonly record struct JournalSnapshot(long Time, decimal Base, decimal Quote);
