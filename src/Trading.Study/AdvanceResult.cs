namespace Trading.Study;

/// <summary>What a worker with nothing to claim learns: there is work again, others are still running, or the study is over.</summary>
public enum AdvanceResult
{
    Work,
    Wait,
    Finished,
}
