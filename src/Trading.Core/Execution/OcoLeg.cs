namespace Trading.Core.Execution;

/// <summary>Which order of a one-cancels-other pair fills (<see cref="FillModel.OcoInCandle"/>).</summary>
public enum OcoLeg : byte
{
    None,
    StopLoss,
    TakeProfit,
}
