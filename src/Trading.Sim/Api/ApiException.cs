namespace Trading.Sim.Api;

/// <summary>
/// A Binance error reply: <see cref="Code"/> and <see cref="Message"/> form the <c>{"code","msg"}</c> object,
/// <see cref="Status"/> the HTTP status (REST) or the WebSocket API <c>status</c>. <see cref="RetryAfterMs"/> is set for
/// 429/418 (epoch ms). Messages never contain secrets.
/// </summary>
internal sealed class ApiException(int status, int code, string message, long? retryAfterMs = null) : Exception(message)
{
    public int Status { get; } = status;

    public int Code { get; } = code;

    public long? RetryAfterMs { get; } = retryAfterMs;

    public static ApiException Mandatory(string name) =>
        new(400, -1102, $"Mandatory parameter '{name}' was not sent, was empty/null, or malformed.");

    public static ApiException NotRequired(string name) => new(400, -1106, $"Parameter '{name}' sent when not required.");

    public static ApiException Invalid(string name) => new(400, -1130, $"Data sent for parameter '{name}' is not valid.");

    public static ApiException Filter(string filter) => new(400, -1013, $"Filter failure: {filter}");

    public static ApiException NewOrderRejected(string message) => new(400, -2010, message);

    public static ApiException CancelRejected(string message) => new(400, -2011, message);

    public static ApiException BadSymbol() => new(400, -1121, "Invalid symbol.");

    public static ApiException RejectedKey() => new(401, -2015, "Invalid API-key, IP, or permissions for action.");

    public const string InsufficientBalance = "Account has insufficient balance for requested action.";
    public const string UnknownOrder = "Unknown order sent.";
    public const string DuplicateOrder = "Duplicate order sent.";
}
