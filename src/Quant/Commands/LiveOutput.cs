using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Live.Engine;
using Trading.Live.Risk;

namespace Quant.Commands;

/// <summary>
/// What <c>quant live</c> prints while it runs, written by a writer task so that the loop thread never waits on the
/// console: with <c>--json-events</c> one JSON object per line on stdout (connection, candle, order, fill, risk, status)
/// and nothing else there; otherwise one readable line per event on stderr and, on a terminal, a status line refreshed
/// in place. Nothing here can see a secret: the engine reports none.
/// </summary>
internal sealed class LiveOutput : ILiveObserver, IAsyncDisposable
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly bool _json;
    private readonly bool _terminal;
    private readonly Task _writer;
    private readonly Action<string>? _connection;

    /// <param name="connection">Also told every connection milestone (the simulator pump starts on one).</param>
    public LiveOutput(TextWriter output, TextWriter errors, bool json, bool terminal, Action<string>? connection = null)
    {
        _connection = connection;
        _out = output;
        _err = errors;
        _json = json;
        _terminal = terminal && !json;
        _writer = Task.Run(WriteAsync);
    }

    public void OnConnection(string what)
    {
        Emit("connection", w => w.WriteString("what", what), what);
        _connection?.Invoke(what);
    }

    public void OnCandle(in Candle candle, bool warmup)
    {
        if (warmup)
        {
            return;
        }

        var c = candle;
        Emit("candle", w =>
        {
            w.WriteNumber("open_time", c.OpenTime);
            w.WriteNumber("open", c.Open);
            w.WriteNumber("high", c.High);
            w.WriteNumber("low", c.Low);
            w.WriteNumber("close", c.Close);
            w.WriteNumber("volume", c.Volume);
        }, null);
    }

    public void OnOrder(in OrderEvent e)
    {
        var kind = e.Kind;
        var o = e.Order;
        var fill = e.Fill;
        var reason = e.Reason;
        var id = o.Id.Value;
        var side = o.Side.ToString().ToLowerInvariant();
        var type = o.Type.ToString().ToLowerInvariant();
        var text = kind == OrderEventKind.Filled
            ? $"fill {id} {side} {fill.Quantity.ToString(CultureInfo.InvariantCulture)} @ {fill.Price.ToString(CultureInfo.InvariantCulture)} fee {fill.Fee.ToString(CultureInfo.InvariantCulture)}"
            : $"order {id} {side} {type} {kind.ToString().ToLowerInvariant()}{(reason is null ? "" : ": " + reason)}";
        Emit(kind == OrderEventKind.Filled ? "fill" : "order", w =>
        {
            w.WriteNumber("id", id);
            w.WriteString("event", kind.ToString().ToLowerInvariant());
            w.WriteString("side", side);
            w.WriteString("order_type", type);
            if (kind == OrderEventKind.Filled)
            {
                w.WriteNumber("time", fill.Time);
                w.WriteNumber("price", fill.Price);
                w.WriteNumber("quantity", fill.Quantity);
                w.WriteNumber("fee", fill.Fee);
                w.WriteNumber("trade_id", fill.TradeId);
            }

            if (reason is not null)
            {
                w.WriteString("reason", reason);
            }
        }, text);
    }

    public void OnRisk(RiskRule rule, string reason, bool tripped) => Emit("risk", w =>
    {
        w.WriteString("rule", rule.ToString());
        w.WriteBoolean("kill_switch", tripped);
        w.WriteString("reason", reason);
    }, $"risk {(tripped ? "KILL SWITCH" : "rejected")} ({rule}): {reason}");

    /// <summary>Status lines are shown on a terminal and in the JSON events only; otherwise the engine arms no status timer.</summary>
    public bool WantsStatus => _json || _terminal;

    public void OnStatus(in LiveStatus s)
    {
        var st = s;
        if (_json)
        {
            Emit("status", w =>
            {
                w.WriteNumber("time", st.Time);
                w.WriteNumber("last_price", st.LastPrice);
                w.WriteNumber("position", st.Position);
                w.WriteNumber("cash", st.Cash);
                w.WriteNumber("equity", st.Equity);
                w.WriteNumber("pnl", st.Pnl);
                w.WriteNumber("open_orders", st.OpenOrders);
                w.WriteNumber("tick_to_order_us", st.LastTickToOrderMicros);
                w.WriteNumber("market_messages", st.MarketMessages);
            }, null);
        }
        else if (_terminal)
        {
            _lines.Writer.TryWrite(string.Create(CultureInfo.InvariantCulture,
                $"\r{st.LastPrice,12:0.00}  pos {st.Position:0.########}  PnL {st.Pnl:+0.00;-0.00;0.00}  open {st.OpenOrders}  tick→order {st.LastTickToOrderMicros:0} µs  msgs {st.MarketMessages}   "));
        }
    }

    /// <summary>Flushes everything queued, then stops the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private void Emit(string type, Action<Utf8JsonWriter> fields, string? text)
    {
        if (_json)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("type", type);
                fields(w);
                w.WriteEndObject();
            }

            _lines.Writer.TryWrite(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        }
        else if (text is not null)
        {
            _lines.Writer.TryWrite((_terminal ? "\r" : "") + "live: " + text);
        }
    }

    private async Task WriteAsync()
    {
        await foreach (var line in _lines.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (_json)
            {
                await _out.WriteLineAsync(line).ConfigureAwait(false);
                await _out.FlushAsync().ConfigureAwait(false);
            }
            else if (line.StartsWith('\r') && !line.StartsWith("\rlive: ", StringComparison.Ordinal))
            {
                await _err.WriteAsync(line).ConfigureAwait(false);
                await _err.FlushAsync().ConfigureAwait(false);
            }
            else
            {
                await _err.WriteLineAsync(line).ConfigureAwait(false);
            }
        }

        await _err.FlushAsync().ConfigureAwait(false);
    }
}
