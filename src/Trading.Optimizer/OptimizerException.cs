namespace Trading.Optimizer;

/// <summary>
/// A bad optimisation request (grid, constraint, search settings): the message is one line for the user, naming the
/// flag and the offending text. The CLI maps it to the usage exit code.
/// </summary>
public sealed class OptimizerException(string message) : Exception(message);
