namespace Trading.Core.Strategies;

/// <summary>A parameter the user gave is unknown, unparsable or out of range. The message is one line for the user.</summary>
public sealed class StrategyParameterException(string message) : Exception(message);
