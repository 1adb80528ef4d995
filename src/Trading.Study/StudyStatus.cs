namespace Trading.Study;

/// <summary>
/// A study's progress as <c>quant optimize --status</c> prints it: trials finished (completed or discarded), running
/// (claimed by a worker), queued (waiting to be claimed); the workers whose heartbeat is fresh; the best score so far
/// (ties: the lowest trial number) and its parameters.
/// </summary>
public sealed record StudyStatus
{
    public required string Study { get; init; }

    public required string Objective { get; init; }

    public required string Search { get; init; }

    public required int Done { get; init; }

    public required int Running { get; init; }

    public required int Queued { get; init; }

    public required int WorkersAlive { get; init; }

    public required bool Finished { get; init; }

    public int? BestTrial { get; init; }

    public double? BestValue { get; init; }

    public string? BestParameters { get; init; }

    /// <summary>One JSON object, snake_case keys (±∞ as "Infinity").</summary>
    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this, StudyJson.Default.StudyStatus);
}
