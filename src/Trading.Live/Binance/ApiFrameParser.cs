using System.Text;
using System.Text.Json;
using Trading.Live.Orders;

namespace Trading.Live.Binance;

/// <summary>
/// Parses the frames of a WebSocket API connection (binance.md §2.1, §4): responses <c>{"id","status","result"|"error",
/// "rateLimits"}</c> and pushed user-data events <c>{"subscriptionId":N,"event":{…}}</c> — executionReport,
/// outboundAccountPosition, balanceUpdate, listStatus, eventStreamTerminated — and <c>{"event":{"e":"serverShutdown"}}</c>.
/// Keys are matched by name in any order; an event's type is found first (a cheap scan of a copy of the reader), because
/// its one-letter keys mean different things in different events (<c>l</c> is a quantity in executionReport and a list
/// status in listStatus). Allocates nothing except an error's message. Malformed frames throw
/// <see cref="FormatException"/> or <see cref="JsonException"/>.
/// </summary>
public sealed class ApiFrameParser
{
    private readonly ClientOrderIdCodec _ids;
    private readonly byte[] _base;
    private readonly byte[] _quote;

    /// <param name="ids">Decodes this run's client order ids.</param>
    /// <param name="baseAsset">The instrument's base asset (e.g. BTC): commissions and balances are sorted by it.</param>
    /// <param name="quoteAsset">The quote asset (e.g. USDT).</param>
    public ApiFrameParser(ClientOrderIdCodec ids, string baseAsset, string quoteAsset)
    {
        _ids = ids;
        _base = Encoding.UTF8.GetBytes(baseAsset);
        _quote = Encoding.UTF8.GetBytes(quoteAsset);
    }

    public ApiFrameKind Parse(ReadOnlySpan<byte> json, ApiFrame frame)
    {
        frame.Reset();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
        JsonRead.Next(ref reader);
        JsonRead.ExpectObject(ref reader);
        var isResponse = false;
        while (true)
        {
            JsonRead.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (reader.ValueTextEquals("id"u8))
            {
                JsonRead.Next(ref reader);
                frame.Id = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var id) ? id : -1;
                JsonRead.Skip(ref reader);
                isResponse = true;
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                JsonRead.Next(ref reader);
                frame.Status = (int)JsonRead.Long(ref reader);
                isResponse = true;
            }
            else if (reader.ValueTextEquals("result"u8))
            {
                JsonRead.Next(ref reader);
                var start = (int)reader.TokenStartIndex;
                JsonRead.Skip(ref reader);
                frame.ResultStart = start;
                frame.ResultLength = (int)reader.BytesConsumed - start;
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                JsonRead.Next(ref reader);
                ReadError(ref reader, frame);
            }
            else if (reader.ValueTextEquals("rateLimits"u8))
            {
                JsonRead.Next(ref reader);
                ReadRateLimits(ref reader, frame);
            }
            else if (reader.ValueTextEquals("subscriptionId"u8))
            {
                JsonRead.Next(ref reader);
                frame.SubscriptionId = JsonRead.Long(ref reader);
            }
            else if (reader.ValueTextEquals("event"u8))
            {
                JsonRead.Next(ref reader);
                JsonRead.ExpectObject(ref reader);
                frame.Kind = ReadEvent(ref reader, frame);
            }
            else
            {
                JsonRead.Next(ref reader);
                JsonRead.Skip(ref reader);
            }
        }

        if (reader.Read())
        {
            throw new FormatException("trailing data after the JSON object");
        }

        if (isResponse)
        {
            if (frame.Status == 0)
            {
                throw new FormatException("response without a status");
            }

            frame.Kind = ApiFrameKind.Response;
        }

        return frame.Kind;
    }

    private static void ReadError(ref Utf8JsonReader reader, ApiFrame frame)
    {
        JsonRead.ExpectObject(ref reader);
        while (true)
        {
            JsonRead.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            if (reader.ValueTextEquals("code"u8))
            {
                JsonRead.Next(ref reader);
                frame.ErrorCode = (int)JsonRead.Long(ref reader);
            }
            else if (reader.ValueTextEquals("msg"u8))
            {
                JsonRead.Next(ref reader);
                frame.ErrorMessage = reader.GetString();
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                JsonRead.Next(ref reader);
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    JsonRead.Skip(ref reader);
                    continue;
                }

                while (true)
                {
                    JsonRead.Next(ref reader);
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        break;
                    }

                    var isRetry = reader.ValueTextEquals("retryAfter"u8);
                    var isServerTime = !isRetry && reader.ValueTextEquals("serverTime"u8);
                    JsonRead.Next(ref reader);
                    if (isRetry)
                    {
                        frame.RetryAfter = JsonRead.Long(ref reader);
                    }
                    else if (isServerTime)
                    {
                        frame.ServerTime = JsonRead.Long(ref reader);
                    }
                    else
                    {
                        JsonRead.Skip(ref reader);
                    }
                }
            }
            else
            {
                JsonRead.Next(ref reader);
                JsonRead.Skip(ref reader);
            }
        }
    }

    private static void ReadRateLimits(ref Utf8JsonReader reader, ApiFrame frame)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FormatException("rateLimits: expected an array");
        }

        while (true)
        {
            JsonRead.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return;
            }

            JsonRead.ExpectObject(ref reader);
            RateLimitType type = RateLimitType.Other;
            char interval = '?';
            int num = 0, limit = 0, count = 0;
            while (true)
            {
                JsonRead.Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                if (reader.ValueTextEquals("rateLimitType"u8))
                {
                    JsonRead.Next(ref reader);
                    type = reader.ValueTextEquals("REQUEST_WEIGHT"u8) ? RateLimitType.RequestWeight
                        : reader.ValueTextEquals("ORDERS"u8) ? RateLimitType.Orders
                        : reader.ValueTextEquals("RAW_REQUESTS"u8) ? RateLimitType.RawRequests
                        : RateLimitType.Other;
                }
                else if (reader.ValueTextEquals("interval"u8))
                {
                    JsonRead.Next(ref reader);
                    var text = JsonRead.Text(ref reader);
                    interval = text.Length > 0 ? (char)text[0] : '?';
                }
                else if (reader.ValueTextEquals("intervalNum"u8))
                {
                    JsonRead.Next(ref reader);
                    num = (int)JsonRead.Long(ref reader);
                }
                else if (reader.ValueTextEquals("limit"u8))
                {
                    JsonRead.Next(ref reader);
                    limit = (int)JsonRead.Long(ref reader);
                }
                else if (reader.ValueTextEquals("count"u8))
                {
                    JsonRead.Next(ref reader);
                    count = (int)JsonRead.Long(ref reader);
                }
                else
                {
                    JsonRead.Next(ref reader);
                    JsonRead.Skip(ref reader);
                }
            }

            frame.AddRateLimit(new RateLimitEntry(type, interval, num, limit, count));
        }
    }

    private ApiFrameKind ReadEvent(ref Utf8JsonReader reader, ApiFrame frame)
    {
        var kind = EventType(reader);
        switch (kind)
        {
            case ApiFrameKind.ExecutionReport:
                ReadExecution(ref reader, ref frame.Execution);
                break;
            case ApiFrameKind.BalanceChange:
                ReadBalance(ref reader, ref frame.Balance);
                break;
            case ApiFrameKind.ListStatus:
                ReadList(ref reader, ref frame.List);
                break;
            default:
                JsonRead.Skip(ref reader);
                break;
        }

        return kind;
    }

    /// <summary>Finds the event's <c>e</c> on a copy of the reader (a struct: copying it rewinds nothing for the caller).</summary>
    private static ApiFrameKind EventType(Utf8JsonReader scan)
    {
        var depth = scan.CurrentDepth;
        while (scan.Read())
        {
            if (scan.TokenType == JsonTokenType.EndObject && scan.CurrentDepth == depth)
            {
                break;
            }

            if (scan.TokenType != JsonTokenType.PropertyName || scan.CurrentDepth != depth + 1)
            {
                continue;
            }

            if (!scan.ValueTextEquals("e"u8))
            {
                scan.Read();
                scan.TrySkip();
                continue;
            }

            scan.Read();
            return scan.ValueTextEquals("executionReport"u8) ? ApiFrameKind.ExecutionReport
                : scan.ValueTextEquals("outboundAccountPosition"u8) || scan.ValueTextEquals("balanceUpdate"u8) ? ApiFrameKind.BalanceChange
                : scan.ValueTextEquals("listStatus"u8) ? ApiFrameKind.ListStatus
                : scan.ValueTextEquals("eventStreamTerminated"u8) ? ApiFrameKind.StreamTerminated
                : scan.ValueTextEquals("serverShutdown"u8) ? ApiFrameKind.ServerShutdown
                : ApiFrameKind.OtherEvent;
        }

        return ApiFrameKind.OtherEvent;
    }

    private void ReadExecution(ref Utf8JsonReader reader, ref ExecutionReport r)
    {
        r.TradeId = -1;
        r.OrderListId = -1;
        while (true)
        {
            JsonRead.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            var name = reader.ValueSpan;
            JsonRead.Next(ref reader);
            if (name.Length != 1)
            {
                JsonRead.Skip(ref reader);
                continue;
            }

            switch ((char)name[0])
            {
                case 'E': r.EventTime = JsonRead.Long(ref reader); break;
                case 'c': r.Sequence = Sequence(ref reader); break;
                case 'C': r.OriginalSequence = Sequence(ref reader); break;
                case 'S': r.Side = BinanceEnums.Side(JsonRead.Text(ref reader)); break;
                case 'x': r.ExecutionType = BinanceEnums.ExecutionType(JsonRead.Text(ref reader)); break;
                case 'X': r.Status = BinanceEnums.Status(JsonRead.Text(ref reader)); break;
                case 'r': r.RejectReason = BinanceEnums.RejectReason(JsonRead.Text(ref reader)); break;
                case 'i': r.OrderId = JsonRead.Long(ref reader); break;
                case 'g': r.OrderListId = JsonRead.Long(ref reader); break;
                case 'q': r.OrderQuantity = JsonRead.Decimal(ref reader); break;
                case 'p': r.OrderPrice = JsonRead.Decimal(ref reader); break;
                case 'l': r.LastQuantity = JsonRead.Decimal(ref reader); break;
                case 'L': r.LastPrice = JsonRead.Decimal(ref reader); break;
                case 'z': r.CumulativeQuantity = JsonRead.Decimal(ref reader); break;
                case 'Z': r.CumulativeQuote = JsonRead.Decimal(ref reader); break;
                case 'n': r.Commission = JsonRead.Decimal(ref reader); break;
                case 'N': r.CommissionAsset = reader.TokenType == JsonTokenType.Null ? CommissionAsset.None : Asset(JsonRead.Text(ref reader)); break;
                case 'T': r.TransactionTime = JsonRead.Long(ref reader); break;
                case 't': r.TradeId = JsonRead.Long(ref reader); break;
                case 'I': r.ExecutionId = JsonRead.Long(ref reader); break;
                case 'm': r.IsMaker = JsonRead.Bool(ref reader); break;
                default: JsonRead.Skip(ref reader); break;
            }
        }
    }

    private void ReadBalance(ref Utf8JsonReader reader, ref BalanceChange b)
    {
        while (true)
        {
            JsonRead.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            var name = reader.ValueSpan;
            JsonRead.Next(ref reader);
            switch (name.Length == 1 ? (char)name[0] : '\0')
            {
                case 'E':
                    b.EventTime = JsonRead.Long(ref reader);
                    break;
                case 'a':
                    b.DeltaAsset = Asset(JsonRead.Text(ref reader));
                    break;
                case 'd':
                    b.IsDelta = true;
                    b.Delta = JsonRead.Decimal(ref reader);
                    break;
                case 'B':
                    ReadBalances(ref reader, ref b);
                    break;
                default:
                    JsonRead.Skip(ref reader);
                    break;
            }
        }
    }

    private void ReadBalances(ref Utf8JsonReader reader, ref BalanceChange b)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FormatException("B: expected an array");
        }

        while (true)
        {
            JsonRead.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return;
            }

            JsonRead.ExpectObject(ref reader);
            var asset = CommissionAsset.None;
            decimal free = 0, locked = 0;
            while (true)
            {
                JsonRead.Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                var name = reader.ValueSpan;
                JsonRead.Next(ref reader);
                switch (name.Length == 1 ? (char)name[0] : '\0')
                {
                    case 'a': asset = Asset(JsonRead.Text(ref reader)); break;
                    case 'f': free = JsonRead.Decimal(ref reader); break;
                    case 'l': locked = JsonRead.Decimal(ref reader); break;
                    default: JsonRead.Skip(ref reader); break;
                }
            }

            if (asset == CommissionAsset.Base)
            {
                (b.HasBase, b.BaseFree, b.BaseLocked) = (true, free, locked);
            }
            else if (asset == CommissionAsset.Quote)
            {
                (b.HasQuote, b.QuoteFree, b.QuoteLocked) = (true, free, locked);
            }
        }
    }

    private void ReadList(ref Utf8JsonReader reader, ref ListStatus s)
    {
        while (true)
        {
            JsonRead.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            var name = reader.ValueSpan;
            JsonRead.Next(ref reader);
            switch (name.Length == 1 ? (char)name[0] : '\0')
            {
                case 'E': s.EventTime = JsonRead.Long(ref reader); break;
                case 'g': s.OrderListId = JsonRead.Long(ref reader); break;
                case 'l': s.AllDone = reader.ValueTextEquals("ALL_DONE"u8); break;
                case 'L': s.Rejected = reader.ValueTextEquals("REJECT"u8); break;
                case 'C': s.ListSequence = Sequence(ref reader); break;
                case 'O': ReadMembers(ref reader, ref s); break;
                default: JsonRead.Skip(ref reader); break;
            }
        }
    }

    private void ReadMembers(ref Utf8JsonReader reader, ref ListStatus s)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FormatException("O: expected an array");
        }

        while (true)
        {
            JsonRead.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return;
            }

            JsonRead.ExpectObject(ref reader);
            long member = 0;
            while (true)
            {
                JsonRead.Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                var isClientId = reader.ValueTextEquals("c"u8);
                JsonRead.Next(ref reader);
                if (isClientId)
                {
                    member = Sequence(ref reader);
                }
                else
                {
                    JsonRead.Skip(ref reader);
                }
            }

            switch (s.MemberCount)
            {
                case 0: s.Member0 = member; break;
                case 1: s.Member1 = member; break;
                case 2: s.Member2 = member; break;
                default: continue;
            }

            s.MemberCount++;
        }
    }

    private long Sequence(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && _ids.TryParse(JsonRead.Text(ref reader), out var seq) ? seq : 0;

    private CommissionAsset Asset(ReadOnlySpan<byte> name) =>
        name.SequenceEqual(_base) ? CommissionAsset.Base : name.SequenceEqual(_quote) ? CommissionAsset.Quote : CommissionAsset.Other;
}
