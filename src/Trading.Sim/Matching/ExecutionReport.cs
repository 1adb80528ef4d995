namespace Trading.Sim.Matching;

/// <summary>
/// One executionReport: the order after the event, the execution type (NEW, TRADE, CANCELED, EXPIRED), the fill for
/// TRADE, and for CANCELED the client id the order had before the cancel (<see cref="OrigClientOrderId"/>, else "").
/// </summary>
internal sealed record ExecutionReport(OrderSnapshot Order, string ExecutionType, SimFill? Fill, string OrigClientOrderId, long ExecutionId);
