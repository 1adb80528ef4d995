namespace Trading.Sim.Api;

/// <summary>
/// One request, from either transport: the method name (WebSocket API naming, e.g. "order.place"), its parameters,
/// the API key (REST: the X-MBX-APIKEY header; WebSocket API: the apiKey parameter), the signature and the exact
/// payload it must sign (built by the transport, whose signing rule differs).
/// </summary>
internal sealed record ApiCall(string Method, ApiParams Params, string? ApiKey, string? Signature, string SignedPayload, bool Rest);
