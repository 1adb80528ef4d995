namespace Trading.Core.Orders;

/// <summary>The client-assigned order id (Binance's <c>newClientOrderId</c>): unique per account, at most 36 characters.</summary>
public readonly record struct ClientOrderId(string Value)
{
    public override string ToString() => Value;
}
