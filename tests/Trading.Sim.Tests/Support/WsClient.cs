using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Trading.Sim.Tests.Support;

/// <summary>A raw WebSocket client: send JSON text, receive one frame as JSON (with a 15 s guard, never a sleep).</summary>
internal sealed class WsClient(ClientWebSocket socket)
{
    private int _nextId = 1;

    public ClientWebSocket Socket { get; } = socket;

    public Task SendTextAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, SimHarness.Timeout());

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public async Task<string> ReceiveTextAsync()
    {
        var buffer = new byte[1 << 16];
        using var ms = new MemoryStream();
        while (true)
        {
            var r = await Socket.ReceiveAsync(buffer, SimHarness.Timeout());
            if (r.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException("closed by server");
            }

            ms.Write(buffer, 0, r.Count);
            if (r.EndOfMessage)
            {
                return Encoding.UTF8.GetString(ms.ToArray());
            }
        }
    }

    public async Task<JsonElement> ReceiveAsync() => JsonDocument.Parse(await ReceiveTextAsync()).RootElement.Clone();

    /// <summary>Sends a WebSocket API request and returns the reply with the same id (user events before it are kept in <see cref="Events"/>).</summary>
    public async Task<JsonElement> CallAsync(string method, Dictionary<string, object>? ps = null)
    {
        var id = $"r{_nextId++}";
        await SendAsync(ps is null ? new { id, method } : new { id, method, @params = ps });
        while (true)
        {
            var m = await ReceiveAsync();
            if (m.TryGetProperty("id", out var rid) && rid.ValueKind == JsonValueKind.String && rid.GetString() == id)
            {
                return m;
            }

            Events.Enqueue(m);
        }
    }

    public Queue<JsonElement> Events { get; } = new();

    /// <summary>The next pushed user event (subscriptionId/event wrapper), from the backlog or the socket.</summary>
    public async Task<JsonElement> NextEventAsync() => Events.Count > 0 ? Events.Dequeue() : await ReceiveAsync();
}
