namespace Trading.Live.Engine;

/// <summary>The venue could not be reached or refused the start-up calls; the message is one line and holds no secret.</summary>
public sealed class LiveVenueException(string message, Exception? inner = null) : Exception(message, inner);
