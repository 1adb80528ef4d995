using System.Text.Json;
using Trading.Sim.Api;
using Trading.Sim.Transport;

namespace Trading.Sim;

/// <summary>Incoming text frames: market-stream control messages and WebSocket API requests.</summary>
internal sealed partial class SimExchange
{
    private const string UnknownMethod =
        "Invalid request: unknown variant %s, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY` at line 1 column 28";

    /// <summary>Handles a SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS / SET_PROPERTY / GET_PROPERTY message.</summary>
    public void HandleStreamControl(SimConnection c, string text)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            Reply(c, ControlError(3, $"Invalid JSON: expected value at line {(e.LineNumber ?? 0) + 1} column {(e.BytePositionInLine ?? 0) + 1}", null));
            return;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Reply(c, ControlError(3, "Invalid JSON: expected value at line 1 column 1", null));
                return;
            }

            if (!root.TryGetProperty("id", out var id) || !ValidControlId(id))
            {
                Reply(c, ControlError(2, "Invalid request: request ID must be an unsigned integer", null));
                return;
            }

            var idRaw = id.GetRawText();
            if (!root.TryGetProperty("method", out var methodEl) || methodEl.ValueKind != JsonValueKind.String)
            {
                Reply(c, ControlError(2, $"Invalid request: missing field `method` at line 1 column {text.Length}", idRaw));
                return;
            }

            var method = methodEl.GetString()!;
            var hasParams = root.TryGetProperty("params", out var ps) && ps.ValueKind == JsonValueKind.Array;
            var names = hasParams ? ps.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToList() : [];
            lock (_gate)
            {
                switch (method)
                {
                    case "SUBSCRIBE":
                        if (names.Count == 0 || c.Streams.Count + names.Count > 1024)
                        {
                            Reply(c, ControlError(2, "Invalid request: too many parameters", idRaw));
                            return;
                        }

                        if (names.Select(Unserved).FirstOrDefault(m => m is not null) is { } unserved)
                        {
                            // Silence would leave the client waiting for klines that never come.
                            Reply(c, ControlError(2, $"Invalid request: {unserved}", idRaw));
                            return;
                        }

                        c.Streams.UnionWith(names);
                        Reply(c, ControlResult("null", idRaw));
                        return;
                    case "UNSUBSCRIBE":
                        c.Streams.ExceptWith(names);
                        Reply(c, ControlResult("null", idRaw));
                        return;
                    case "LIST_SUBSCRIPTIONS":
                        Reply(c, ControlResult(JsonSerializer.Serialize(c.Streams.Order(StringComparer.Ordinal).ToArray()), idRaw));
                        return;
                    case "SET_PROPERTY" or "GET_PROPERTY":
                        Property(c, method, hasParams ? ps : default, idRaw);
                        return;
                    default:
                        Reply(c, ControlError(2, UnknownMethod.Replace("%s", method, StringComparison.Ordinal), idRaw));
                        return;
                }
            }
        }
    }

    /// <summary>Parses a WebSocket API request and runs it; protocol errors get the -11xx codes in the envelope.</summary>
    public async Task HandleApiRequestAsync(SimConnection c, string text)
    {
        BeginRequest();
        try
        {
            await HandleApiRequestCoreAsync(c, text).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Never silence: a client waits for every id it sent.
            SendError(c, "null", new ApiException(500, -1000, "An unknown error occurred while processing the request."));
        }
        finally
        {
            EndRequest();
        }
    }

    private async Task HandleApiRequestCoreAsync(SimConnection c, string text)
    {
        string idRaw = "null";
        ApiCall call;
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ApiException(400, -1000, "An unknown error occurred while processing the request.");
            }

            if (root.TryGetProperty("id", out var id))
            {
                idRaw = id.GetRawText();
            }

            if (!root.TryGetProperty("method", out var m) || m.ValueKind != JsonValueKind.String)
            {
                throw ApiException.Mandatory("method");
            }

            var method = m.GetString()!;
            if (method.StartsWith("v3/", StringComparison.Ordinal))
            {
                method = method[3..];
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("params", out var ps))
            {
                if (ps.ValueKind != JsonValueKind.Object)
                {
                    throw new ApiException(400, -1000, "An unknown error occurred while processing the request.");
                }

                foreach (var prop in ps.EnumerateObject())
                {
                    var value = prop.Value.ValueKind switch
                    {
                        JsonValueKind.String => prop.Value.GetString()!,
                        JsonValueKind.True => "true",
                        JsonValueKind.False => "false",
                        JsonValueKind.Null => null,
                        _ => prop.Value.GetRawText(),
                    };
                    if (value is not null)
                    {
                        values[prop.Name] = value;
                    }
                }
            }

            var p = new ApiParams(values);
            call = new ApiCall(method, p, p.Get("apiKey"), p.Get("signature"), Signing.WebSocketPayload(values), Rest: false);
        }
        catch (JsonException)
        {
            SendError(c, idRaw, new ApiException(400, -1000, "An unknown error occurred while processing the request."));
            return;
        }
        catch (ApiException e)
        {
            SendError(c, idRaw, e);
            return;
        }

        var returnLimits = call.Params.Bool("returnRateLimits") ?? c.ReturnRateLimits;
        var reply = Execute(call, c, idRaw, returnLimits);
        if (reply.Delay > TimeSpan.Zero)
        {
            await Task.Delay(reply.Delay, _options.Time).ConfigureAwait(false);
            SendLate(c, idRaw, reply, returnLimits);
        }
    }

    private void SendError(SimConnection c, string idRaw, ApiException e)
    {
        var body = BinanceJson.Build(w => BinanceJson.Error(w, e.Code, e.Message));
        lock (_gate)
        {
            c.Send(Envelope(idRaw, new ApiReply(e.Status, body, true, null, Limits(LimitNow, false), TimeSpan.Zero, false), c.ReturnRateLimits));
        }
    }

    private void Property(SimConnection c, string method, JsonElement ps, string idRaw)
    {
        var items = ps.ValueKind == JsonValueKind.Array ? ps.EnumerateArray().ToList() : [];
        if (items.Count == 0 || items[0].ValueKind != JsonValueKind.String)
        {
            Reply(c, ControlError(2, "Invalid request: property name must be a string", idRaw));
            return;
        }

        if (items[0].GetString() != "combined")
        {
            Reply(c, ControlError(0, "Unknown property", idRaw));
            return;
        }

        if (method == "GET_PROPERTY")
        {
            Reply(c, ControlResult(c.Combined ? "true" : "false", idRaw));
            return;
        }

        if (items.Count > 2)
        {
            Reply(c, ControlError(2, "Invalid request: too many parameters", idRaw));
            return;
        }

        if (items.Count < 2 || items[1].ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Reply(c, ControlError(1, "Invalid value type: expected Boolean", idRaw));
            return;
        }

        c.Combined = items[1].GetBoolean();
        Reply(c, ControlResult("null", idRaw));
    }

    private static bool ValidControlId(JsonElement id) => id.ValueKind switch
    {
        JsonValueKind.Null => true,
        JsonValueKind.Number => id.TryGetInt64(out _),
        JsonValueKind.String => id.GetString() is { Length: > 0 and <= 36 } s && s.All(char.IsAsciiLetterOrDigit),
        _ => false,
    };

    private static byte[] ControlResult(string resultRaw, string idRaw) => BinanceJson.Build(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("result");
        w.WriteRawValue(resultRaw, skipInputValidation: true);
        w.WritePropertyName("id");
        w.WriteRawValue(idRaw, skipInputValidation: true);
        w.WriteEndObject();
    });

    private static byte[] ControlError(int code, string msg, string? idRaw) => BinanceJson.Build(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("code", code);
        w.WriteString("msg", msg);
        if (idRaw is not null)
        {
            w.WritePropertyName("id");
            w.WriteRawValue(idRaw, skipInputValidation: true);
        }

        w.WriteEndObject();
    });

    private void Reply(SimConnection c, byte[] frame)
    {
        lock (_gate)
        {
            c.Send(frame);
        }
    }
}
