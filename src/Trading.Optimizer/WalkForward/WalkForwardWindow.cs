namespace Trading.Optimizer.WalkForward;

/// <summary>One walk-forward window: candle index ranges (start inclusive, length) of its training and test parts; the test part follows the training part directly.</summary>
public readonly record struct WalkForwardWindow(int Index, int TrainStart, int TrainLength, int TestStart, int TestLength)
{
    public int TestEnd => TestStart + TestLength;
}
