namespace Trading.Sim.Tests.Support;

/// <summary>
/// A fact that needs the npm package ccxt: installed at the repository root (node_modules/ccxt, by <c>.ci/setup</c> /
/// <c>npm ci</c>, package.json lists it) or in a folder named by NODE_PATH; skipped with that instruction otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CcxtE2EFactAttribute : FactAttribute
{
    public CcxtE2EFactAttribute()
    {
        if (NodePath is null)
        {
            Skip = "ccxt is absent: run .ci/setup (npm ci) at the repository root";
        }
    }

    /// <summary>The node_modules folder holding ccxt, or null.</summary>
    public static string? NodePath =>
        new[] { Path.Combine(RepoPaths.Root, "node_modules") }
            .Concat((Environment.GetEnvironmentVariable("NODE_PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            .FirstOrDefault(dir => Directory.Exists(Path.Combine(dir, "ccxt")));
}
