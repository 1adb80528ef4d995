namespace Trading.Core.Strategies;

/// <summary>A strategy could not be found or loaded. The message is one line for the user.</summary>
public sealed class StrategyLoadException(string message) : Exception(message);
