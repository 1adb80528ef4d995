namespace Quant.Bench.Infrastructure;

/// <summary>
/// One named benchmark. Implementations are discovered by reflection (start-up cost is irrelevant here),
/// so adding a benchmark means adding one file. <see cref="Run"/> prints its figures and, as its very last
/// line, one JSON object produced by <see cref="BenchReport.Print"/>.
/// </summary>
internal interface IBench
{
    /// <summary>The name given on the command line, e.g. <c>csv-load</c>.</summary>
    string Name { get; }

    /// <summary>One line saying what is measured and against which in-process baseline.</summary>
    string Description { get; }

    /// <summary>Runs the benchmark; returns the process exit code.</summary>
    int Run(string[] args);
}
