namespace Trading.Sim.Tests.Support;

/// <summary>
/// A fact that needs Binance's JavaScript connector installed at the repository root (node_modules/@binance/spot, put
/// there by <c>.ci/setup</c> / <c>npm ci</c>); skipped with that instruction when it is absent.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NodeE2EFactAttribute : FactAttribute
{
    public NodeE2EFactAttribute()
    {
        if (!Directory.Exists(Path.Combine(RepoPaths.Root, "node_modules", "@binance", "spot")))
        {
            Skip = "node_modules/@binance/spot is absent: run .ci/setup (npm ci) at the repository root";
        }
    }
}
