namespace EventLoop.Tests;

/// <summary>A reference-type state for callbacks that records what happened, in order.</summary>
internal sealed class Log
{
    public List<string> Entries { get; } = [];

    public int Count { get; set; }

    public void Add(string s) => Entries.Add(s);
}
