namespace Trading.Core.Orders;

public enum OrderSide : byte
{
    Buy,
    Sell,
}
