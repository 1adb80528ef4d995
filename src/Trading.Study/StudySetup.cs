using Trading.Optimizer.Search;
using Trading.Optimizer.Space;

namespace Trading.Study;

/// <summary>
/// What a process brings to a study: its definition (compared with the stored one), the space (to decode stored
/// points) and a factory of fresh searches. The search must be deterministic: batch k is a function of the settings
/// and of the scored trials of batches before k only (every <see cref="ISearch"/> of the optimizer is), because any
/// worker may propose a batch by replaying the search over the stored results.
/// </summary>
public sealed class StudySetup
{
    public required StudyDefinition Definition { get; init; }

    public required ParameterSpace Space { get; init; }

    public required Func<ISearch> NewSearch { get; init; }

    /// <summary>
    /// The command-line arguments that give this definition, stored with a new study (study_system_attributes
    /// <c>quant:arguments</c>) so that a worker started with only the study's URL and name can rebuild it.
    /// </summary>
    public IReadOnlyList<string>? Arguments { get; init; }
}
